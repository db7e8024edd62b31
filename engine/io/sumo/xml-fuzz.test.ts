// Whatever a SUMO file holds, reading it ends in an element tree or a SumoImportError with one
// line naming the file: never another exception (which the CLI shows as an internal error), and
// never a hang. Random text, byte garbage, and mutations of a real net (cut, duplicated, spliced
// with markup, entities, DOCTYPEs, odd attribute values) go through parseXml and readNet.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml, SumoImportError } from './xml.js';
import { readNet } from './net.js';
import { Warnings } from './warnings.js';

const netText = readFileSync(fileURLToPath(new URL('../../../bench/sumo/fixtures/grid3.net.xml', import.meta.url)), 'utf8').slice(0, 20_000);
const dir = mkdtempSync(join(tmpdir(), 'rt-sumo-fuzz-'));
const LINE = /^fuzz\.net\.xml(:\d+:\d+)?: [^\n]+$/;

function outcome(text: string): 'ok' | SumoImportError {
  try {
    parseXml(text, 'fuzz.net.xml', ['net']);
    return 'ok';
  } catch (err) {
    if (err instanceof SumoImportError) return err;
    throw err;
  }
}

const check = (text: string) => {
  const r = outcome(text);
  if (r !== 'ok') expect(r.message).toMatch(LINE);
};

const markup = fc.constantFrom(
  '<', '>', '"', "'", '&', '&amp;', '&#0;', '&#xD800;', '&lt;', '&x;', ']]>', '<![CDATA[', '<!--', '-->', '<?xml version="1.0"?>',
  '<!DOCTYPE net>', '<!DOCTYPE net [<!ENTITY a "b">]>', '<!ENTITY % p SYSTEM "file:///etc/passwd">', '<!DOCTYPE net SYSTEM "http://example.com/x.dtd">',
  '</net>', '<net>', '<edge/>', '<edge id=""/>', '<lane shape="nan,nan"/>', 'x="1" x="2"', '\u0000', '\uFFFF', '\uD800', '\r\n',
);

/** A mutation of the real net's text. */
const mutated = fc
  .tuple(fc.nat(), fc.nat(), fc.oneof(markup, fc.string({ maxLength: 40 }), fc.constant('')), fc.constantFrom('insert', 'replace', 'cut', 'repeat'))
  .map(([a, b, piece, how]) => {
    const i = a % netText.length;
    const j = Math.min(netText.length, i + (b % 200));
    if (how === 'insert') return netText.slice(0, i) + piece + netText.slice(i);
    if (how === 'replace') return netText.slice(0, i) + piece + netText.slice(j);
    if (how === 'cut') return netText.slice(0, i);
    return netText.slice(0, j) + netText.slice(i, j).repeat(3) + netText.slice(j);
  });

describe('SUMO XML fuzz', () => {
  it('any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 1200 });
  });

  it('markup soup', () => {
    fc.assert(fc.property(fc.array(fc.oneof(markup, fc.string({ maxLength: 8 })), { maxLength: 40 }), (parts) => check(parts.join(''))), { numRuns: 1200 });
  });

  it('bytes decoded as UTF-8', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(Buffer.from(b).toString('utf8'))), { numRuns: 500 });
  });

  it('a real net mutated, through readNet', () => {
    let n = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        check(text);
        const file = join(dir, `m${n++ % 8}.net.xml`);
        writeFileSync(file, text);
        try {
          readNet(file, new Warnings());
        } catch (err) {
          if (!(err instanceof SumoImportError)) throw err;
          expect(err.message.split('\n')).toHaveLength(1);
        }
      }),
      { numRuns: 800 },
    );
  });
});
