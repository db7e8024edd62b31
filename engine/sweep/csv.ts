/**
 * CSV cells of sweep tables: numbers to 12 significant digits (no 0.30000000000000004), lists and
 * maps as JSON, then the engine's one codec (engine/core/csv.ts: RFC 4180 quoting, spreadsheet
 * formula and control-character safety).
 */
import { csvCell as codecCell } from '../core/csv.js';

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return codecCell(Number.isFinite(value) ? Number(value.toPrecision(12)) : null);
  if (typeof value === 'string' || typeof value === 'boolean') return codecCell(value);
  return codecCell(JSON.stringify(value));
}

export const csvLine = (cells: readonly unknown[]) => cells.map(csvCell).join(',');
