/**
 * Reading SUMO's XML files into a small element tree. fast-xml-parser's validator finds
 * malformed XML with a line and column; the parser then keeps every element in document order
 * with its attributes as strings, which is all the SUMO formats need (they put data only in
 * attributes and child elements, never in text).
 */
import { InputLimitError, LIMITS, MAX_XML_TOKEN_BYTES, maxBytes, readFileBounded, tooLarge } from '../limits.js';
import { gunzipSync } from 'node:zlib';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

/** A problem with an input file that ends the import: one line, naming the file. */
export class SumoImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SumoImportError';
  }
}

const reasons: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'this is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** Reads and parses `file`; `root` is the element the file must hold (net, routes, …). */
export function readXml(file: string, roots: readonly string[]): XmlElement {
  return parseXml(readText(file), file, roots);
}

/**
 * The text of a file, gunzipped when it is gzip data. SUMO reads `.gz` files by their content,
 * so the magic bytes decide, not the name (a `.net.xml` may be gzipped and a `.gz` may not be).
 */
export function readText(file: string): string {
  let bytes: Buffer;
  let bound: number;
  try {
    // bounded (engine/io/limits.ts): a device, a pipe or a huge file is refused before it is read
    bound = maxBytes(LIMITS.sumo);
    bytes = readFileBounded(file, LIMITS.sumo);
  } catch (err) {
    if (err instanceof InputLimitError) throw new SumoImportError(`${file}: cannot read: ${err.message}`);
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new SumoImportError(`${file}: cannot read: ${reasons[code] ?? (err as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // the same bound after decompression: a small gzip bomb must not expand without end
      bytes = gunzipSync(bytes, { maxOutputLength: bound });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new SumoImportError(`${file}: cannot read: gunzipped, ${tooLarge(LIMITS.sumo, null, bound)}`);
      throw new SumoImportError(`${file}: cannot read: gzip data is damaged (${(err as Error).message})`);
    }
  }
  return bytes.toString('utf8');
}

/** A message from the parser as one printable line. */
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').slice(0, 300);

/** Line and column (1-based) of offset `at` in `text`. */
function lineCol(text: string, at: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: at - start + 1 };
}

/**
 * What the parser must not be given: entity declarations (a DOCTYPE's `<!ENTITY`, external or
 * parameter entities; SUMO files never declare any, and expanding them is how an XML file turns
 * into gigabytes or reads another file) and attribute values or text runs over
 * MAX_XML_TOKEN_BYTES (the parser's copies of a 100 MB attribute took 4 GB).
 */
function refuseHostile(text: string, file: string): void {
  const entity = text.search(/<!ENTITY/i);
  if (entity !== -1) {
    const { line, col } = lineCol(text, entity);
    throw new SumoImportError(`${file}:${line}:${col}: XML entity declarations are not supported (SUMO files do not use them)`);
  }
  let runStart = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 60 : text.charCodeAt(i);
    // '<', '>', '"', "'" end a tag name, an attribute value or a text run
    if (c === 60 || c === 62 || c === 34 || c === 39) {
      if (i - runStart > MAX_XML_TOKEN_BYTES) {
        const { line, col } = lineCol(text, runStart);
        throw new SumoImportError(`${file}:${line}:${col}: a value of ${i - runStart} characters; at most ${MAX_XML_TOKEN_BYTES} are allowed in one attribute or text`);
      }
      runStart = i + 1;
    }
  }
}

export function parseXml(text: string, file: string, roots: readonly string[]): XmlElement {
  refuseHostile(text, file);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    // (the validator leaves line or col out for some errors; the message must still be one line)
    const { line, col, msg } = valid.err;
    throw new SumoImportError(`${file}:${Number.isInteger(line) ? line : 1}:${Number.isInteger(col) ? col : 1}: malformed XML: ${oneLine(String(msg))}`);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
  });
  let raw: OrderedNode[];
  try {
    raw = parser.parse(text) as OrderedNode[];
  } catch (err) {
    // what the validator lets through and the parser refuses (a DOCTYPE it cannot read, …)
    throw new SumoImportError(`${file}: malformed XML: ${oneLine((err as Error).message)}`);
  }
  const top = raw.map(toElement).filter((e): e is XmlElement => e !== null);
  const root = top.find((e) => roots.includes(e.name));
  if (!root) {
    const found = top.length > 0 ? `<${top[0].name}>` : 'no element';
    throw new SumoImportError(`${file}: expected a SUMO <${roots.join('> or <')}> file, found ${found}`);
  }
  return root;
}

// preserveOrder output: [{ tagName: [children…], ':@': { attr: value } }, { '#text': '…' }]
type OrderedNode = Record<string, unknown>;

function toElement(node: OrderedNode): XmlElement | null {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (!name) return null;
  const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  const kids = (node[name] as OrderedNode[] | undefined) ?? [];
  return { name, attrs, children: kids.map(toElement).filter((e): e is XmlElement => e !== null) };
}

/** A numeric attribute: the default when absent; an import error naming the element when not a number. */
export function num(el: XmlElement, attr: string, file: string, fallback?: number): number {
  const v = el.attrs[attr];
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    throw new SumoImportError(`${file}: <${el.name}${idOf(el)}> has no ${attr}`);
  }
  const x = Number(v);
  if (!Number.isFinite(x)) throw new SumoImportError(`${file}: <${el.name}${idOf(el)}> ${attr}="${v}" is not a number`);
  return x;
}

export function idOf(el: XmlElement): string {
  return el.attrs.id !== undefined ? ` id="${el.attrs.id}"` : '';
}

/** SUMO shapes: "x,y x,y …" (a third coordinate, z, is dropped). */
export function parseShape(s: string | undefined): [number, number][] {
  if (!s) return [];
  return s
    .trim()
    .split(/\s+/)
    .map((p) => {
      const [x, y] = p.split(',').map(Number);
      return [x, y] as [number, number];
    })
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
}
