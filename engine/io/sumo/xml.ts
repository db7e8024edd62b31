/**
 * Reading SUMO's XML files into a small element tree. fast-xml-parser's validator finds
 * malformed XML with a line and column; the parser then keeps every element in document order
 * with its attributes as strings, which is all the SUMO formats need (they put data only in
 * attributes and child elements, never in text).
 */
import { readFileSync } from 'node:fs';
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
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new SumoImportError(`${file}: cannot read: ${reasons[code] ?? (err as Error).message}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new SumoImportError(`${file}: cannot read: gzip data is damaged (${(err as Error).message})`);
    }
  }
  return bytes.toString('utf8');
}

export function parseXml(text: string, file: string, roots: readonly string[]): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw new SumoImportError(`${file}:${line}:${col}: malformed XML: ${msg}`);
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
  const raw = parser.parse(text) as OrderedNode[];
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
