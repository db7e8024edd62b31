/**
 * Finds where a field of the parsed scenario was written in the YAML source, so that a problem
 * found on the plain JS value (by zod or by the semantic checks) can name a line and column.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathKey = string | number;

/** Which part of a field a problem is about: its value, or the key naming it (unknown field). */
export type Anchor = 'value' | 'key';

export interface Position {
  line: number;
  col: number;
}

interface Step {
  node: Node | null;
  /** the key node that introduced `node` in its parent map (none for list items and the root) */
  key: Node | null;
}

export class SourceLocator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /**
   * Position of the field at `path`. When the path does not exist (a missing field) this is the
   * deepest ancestor that does. Collections are reported at their key (`flow:`) rather than at
   * their first entry, because for block style that is the line that names them.
   */
  position(path: readonly PathKey[], anchor: Anchor = 'value'): Position {
    const steps = this.walk(path);
    const last = steps[steps.length - 1];
    const complete = steps.length === path.length + 1;
    if (complete && anchor === 'key' && last.key && hasRange(last.key)) return this.at(last.key);
    // walk back to the nearest step written in the file (nodes made by --set have no range)
    for (let i = steps.length - 1; i >= 0; i--) {
      const { node, key } = steps[i];
      const keyed = key && hasRange(key) ? key : null;
      if (node && hasRange(node)) {
        const empty = isScalar(node) && node.range![0] === node.range![1];
        if (keyed && (isCollection(node) || empty)) return this.at(keyed);
        return this.at(node);
      }
      if (keyed) return this.at(keyed);
    }
    return { line: 1, col: 1 };
  }

  /** The nodes along `path`, starting with the document's root, as far as they exist. */
  private walk(path: readonly PathKey[]): Step[] {
    const steps: Step[] = [{ node: this.deref(this.doc.contents as Node | null), key: null }];
    for (const segment of path) {
      const { node } = steps[steps.length - 1];
      if (isMap(node)) {
        // toJS keeps the last of duplicate keys, so the last match is the one that was used
        let pair = null;
        for (const p of node.items) if (isPair(p) && keyString(p.key) === String(segment)) pair = p;
        if (!pair) break;
        steps.push({ node: this.deref(pair.value as Node | null), key: pair.key as Node | null });
      } else if (isSeq(node)) {
        const index = Number(segment);
        if (!Number.isInteger(index) || index < 0 || index >= node.items.length) break;
        steps.push({ node: this.deref(node.items[index] as Node | null), key: null });
      } else break;
    }
    return steps;
  }

  /** Aliases stand for their anchored node; a problem in the value is at the anchor's definition. */
  private deref(node: Node | null): Node | null {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? node;
    return node;
  }

  at(node: Node): Position {
    return this.offset(node.range![0]);
  }

  offset(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }
}

/** A map key as toJS turns it into a property name (so `1:` and `"1":` are the same field). */
export function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function hasRange(node: Node): boolean {
  return Array.isArray(node.range);
}
