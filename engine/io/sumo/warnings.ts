/**
 * What an import could not carry over. Every unsupported feature becomes one line; repeats of
 * the same kind (sigma on 300 vehicle types, departLane on 5,000 vehicles) are counted on that
 * line with a few examples instead of flooding the terminal.
 */
export interface Warning {
  /** what was not supported and what was done instead */
  message: string;
  /** how many elements it concerns */
  count: number;
  /** a few of their ids */
  examples: string[];
}

const EXAMPLES = 3;

export class Warnings {
  private readonly byKey = new Map<string, Warning>();

  /** Records one occurrence; `key` groups occurrences that share the message. */
  add(message: string, example?: string, key = message): void {
    let w = this.byKey.get(key);
    if (!w) {
      w = { message, count: 0, examples: [] };
      this.byKey.set(key, w);
    }
    w.count++;
    if (example !== undefined && w.examples.length < EXAMPLES && !w.examples.includes(example)) w.examples.push(example);
  }

  list(): Warning[] {
    return [...this.byKey.values()];
  }

  /** Total occurrences. */
  get total(): number {
    let n = 0;
    for (const w of this.byKey.values()) n += w.count;
    return n;
  }

  /** One line per kind: `message (N×, e.g. 'a', 'b')`. */
  lines(): string[] {
    return this.list().map((w) => {
      const eg = w.examples.length > 0 ? `, e.g. ${w.examples.map((e) => `'${e}'`).join(', ')}` : '';
      return w.count > 1 || eg ? `${w.message} (${w.count}×${eg})` : w.message;
    });
  }
}
