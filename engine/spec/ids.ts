/**
 * The one rule for names in a scenario (docs/scenario-format.md, "Ids"). Ids end up in file
 * names, CSV cells, terminals, URLs and space-separated route lists, so:
 *
 * - an **id** (of an edge, node, trip, detector, RSU, hub, dock, camera, …) is 1 to 200 characters
 *   of letters of any script, marks, digits, punctuation and symbols (so `路口-7`, `-12#3`, `:J5_0`
 *   and `🚦` are ids); never whitespace, control or format characters (bidi overrides, zero-width
 *   joiners) or lone surrogates;
 * - a **key name** (a vehicle type, a type distribution: the keys of maps, which `--set` paths
 *   and metrics keys spell out) is letters of any script, marks, digits, `_` and `-`;
 * - the scenario **name** (part of the run directory's name) is lower-case letters (or letters of
 *   a script without case), digits and `-`.
 */
import { z } from 'zod';

const ID_CHAR = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;
const KEY_CHAR = /[\p{L}\p{M}\p{N}_-]/u;
const NAME_CHAR = /[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}-]/u;

/** U+XXXX of a code point, for messages (the character itself may be invisible). */
function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first character of `text` that `allowed` refuses, as "U+0007 at character 3", or null. */
export function firstRefused(text: string, allowed: RegExp): string | null {
  let i = 0;
  for (const ch of text) {
    i++;
    // a lone surrogate iterates as itself and matches no class above
    if (!allowed.test(ch)) return `${codePoint(ch)}${ch.trim() === '' || /\p{C}/u.test(ch) ? '' : ` '${ch}'`} at character ${i}`;
  }
  return null;
}

function ruled(allowed: RegExp, noun: string, what: string, max: number) {
  return z
    .string()
    .min(1, `${noun} must not be empty`)
    .max(max)
    .superRefine((s, ctx) => {
      const bad = firstRefused(s, allowed);
      if (bad) ctx.addIssue({ code: 'custom', message: `${what}; got ${bad}` });
    });
}

export const isId = (s: string) => s.length > 0 && s.length <= 200 && firstRefused(s, ID_CHAR) === null;

/** An id: letters of any script, digits, punctuation and symbols; no spaces or control characters. */
export const identifier = ruled(ID_CHAR, 'an id', 'an id may hold letters of any script, digits, punctuation and symbols, but no spaces, control or format characters', 200);

/** A key name (vehicle types, type distributions). */
export const keyName = ruled(KEY_CHAR, 'a type name', 'a type name may hold only letters (of any script), digits, _ and -', 100);

/** The scenario's name. */
export const scenarioName = ruled(NAME_CHAR, 'the name', 'must be lower-case letters (of any script), digits and dashes', 100);
