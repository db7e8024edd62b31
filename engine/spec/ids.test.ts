// One rule for ids, key names and the scenario name (engine/spec/ids.ts): letters of any
// script welcome, control, format and space characters never.
import { describe, expect, it } from 'vitest';
import { identifier, isId, keyName, scenarioName } from './ids.js';

const message = (schema: typeof identifier, s: string) => {
  const r = schema.safeParse(s);
  return r.success ? null : r.error.issues[0].message;
};

describe('ids', () => {
  it('accepts letters of any script, digits, punctuation and symbols', () => {
    for (const id of ['a', 'n0_0', '-12#3', ':J5_0', '1[1]', '香港中路', 'Straße', 'طريق', '🚦', 'e1.2/3']) expect(isId(id), id).toBe(true);
  });

  it('refuses spaces, control and format characters, and says which and where', () => {
    expect(message(identifier, 'a b')).toBe('an id may hold letters of any script, digits, punctuation and symbols, but no spaces, control or format characters; got U+0020 at character 2');
    expect(message(identifier, 'x\u0007')).toContain('got U+0007 at character 2');
    expect(message(identifier, 'e\u202Egnp')).toContain('got U+202E at character 2'); // a bidi override (Trojan Source)
    expect(message(identifier, 'a\u200Db')).toContain('got U+200D');
    expect(message(identifier, '\uD800')).toContain('got U+D800 at character 1'); // a lone surrogate
    expect(message(identifier, '')).toBe('an id must not be empty');
    expect(isId('x'.repeat(201))).toBe(false);
  });

  it('key names: letters of any script, digits, _ and -; the scenario name in lower case', () => {
    expect(keyName.safeParse('小汽车').success).toBe(true);
    expect(keyName.safeParse('bus_2-a').success).toBe(true);
    expect(message(keyName, 'car.fast')).toBe("a type name may hold only letters (of any script), digits, _ and -; got U+002E '.' at character 4");
    expect(scenarioName.safeParse('laoshan-崂山').success).toBe(true);
    expect(message(scenarioName, 'Laoshan')).toContain("got U+004C 'L' at character 1");
  });
});
