/**
 * Text into HTML, safely: every string from a run (ids, names, reasons, the command) can hold any
 * character, so it goes through `esc` (text and attribute values) or `jsonScript` (data for the
 * page's scripts, with `<` written as \u003c so no `</script>` can end the element).
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** JSON for a `<script type="application/json">` element. */
export function jsonScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A number with `digits` decimals and thousands separated by commas; '–' for null, undefined or NaN. */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const fixed = Math.abs(value).toFixed(digits);
  const [int, frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const neg = value < 0 && Number(fixed) !== 0;
  return `${neg ? '−' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}
