/**
 * Streams an OSM file — XML (`.osm`), gzipped or bzip2'd XML, or PBF — into node and way
 * callbacks, without holding the file: XML goes through saxes, PBF through osm-pbf-parser-node,
 * and the compressions through zlib and unbzip2-stream. The format is told by the first bytes,
 * not the name. Memory is what the callbacks keep. Bytes after decompression are counted against
 * LIMITS.osm; a malformed document is one line with its line (XML) or byte offset (compressed
 * data, PBF).
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SaxesParser } from 'saxes';
import unbzip2 from 'unbzip2-stream';
import { OSMTransform } from 'osm-pbf-parser-node';
import { InputLimitError, LIMITS, maxBytes, tooLarge } from '../limits.js';
import { OsmImportError } from './errors.js';

export type Tags = Record<string, string>;
export interface OsmNode {
  id: number;
  lat: number;
  lon: number;
  tags: Tags | null;
}
export interface OsmWay {
  id: number;
  refs: number[];
  tags: Tags;
  /** where the way starts in the file (XML: its line), for messages */
  at: string;
  /** the run of the way inside a bounding box that cut it, from 0 (absent: 0) */
  part?: number;
}
export interface OsmVisitor {
  node?(n: OsmNode): void;
  way?(w: OsmWay): void;
}

export type OsmFormat = 'xml' | 'gzip' | 'bzip2' | 'pbf';

const reasons: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'this is a directory, not a file', EACCES: 'permission denied', EPERM: 'permission denied' };

/** Opens `file` as a regular file (never a FIFO or device) and tells its format from its first bytes. */
function open(file: string): { fd: number; format: OsmFormat } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new OsmImportError(`${file}: ${reasons[code] ?? (err as Error).message}`);
  }
  const st = fstatSync(fd);
  if (st.isDirectory() || !st.isFile()) {
    closeSync(fd);
    throw new OsmImportError(`${file}: ${st.isDirectory() ? 'this is a directory, not a file' : 'not a regular file; give a file'}`);
  }
  const head = Buffer.alloc(32);
  const n = readSync(fd, head, 0, 32, 0);
  const b = head.subarray(0, n);
  let format: OsmFormat = 'xml';
  if (b[0] === 0x1f && b[1] === 0x8b) format = 'gzip';
  else if (b.subarray(0, 3).toString('latin1') === 'BZh') format = 'bzip2';
  else if (b.includes(Buffer.from('OSMHeader'))) format = 'pbf';
  return { fd, format };
}

/** Passes bytes on and stops the stream when more than the OSM bound have gone through. */
function byteBound(file: string): Transform {
  const bound = maxBytes(LIMITS.osm);
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > bound) done(new OsmImportError(`${file}: ${tooLarge(LIMITS.osm, null, bound)}`));
      else done(null, chunk);
    },
  });
}

/** Counts the bytes read from the file, so that a decompression error can say where. */
function counted(src: Readable): { stream: Readable; offset: () => number } {
  let n = 0;
  src.on('data', (c: Buffer) => (n += c.length));
  return { stream: src, offset: () => n };
}

export async function readOsm(file: string, visit: OsmVisitor): Promise<OsmFormat> {
  const { fd, format } = open(file);
  const raw = counted(createReadStream('', { fd, highWaterMark: 256 * 1024 }));
  let bound: Transform;
  try {
    bound = byteBound(file);
  } catch (err) {
    raw.stream.destroy();
    if (err instanceof InputLimitError) throw new OsmImportError(`${file}: ${err.message}`);
    throw err;
  }
  const decompressError = (err: Error): OsmImportError =>
    err instanceof OsmImportError ? err : new OsmImportError(`${file}: byte ${raw.offset()}: ${format === 'gzip' ? 'gzip' : 'bzip2'} data is damaged or cut short (${err.message})`);
  let text: Readable = raw.stream;
  if (format === 'gzip' || format === 'bzip2') {
    const inflate = format === 'gzip' ? createGunzip() : unbzip2();
    text = raw.stream.pipe(inflate);
    inflate.on('error', () => undefined); // reported by the loop below
  }
  try {
    if (format === 'pbf') await readPbf(file, raw, bound, visit);
    else await readXml(file, text, bound, visit, format);
  } catch (err) {
    raw.stream.destroy();
    if (err instanceof OsmImportError) throw err;
    if (format === 'gzip' || format === 'bzip2') throw decompressError(err as Error);
    throw err;
  }
  return format;
}

async function readXml(file: string, text: Readable, bound: Transform, visit: OsmVisitor, format: OsmFormat): Promise<void> {
  const sax = new SaxesParser({ position: true });
  let root: string | undefined;
  let node: OsmNode | null = null;
  let way: OsmWay | null = null;
  let fail: OsmImportError | null = null;
  const at = () => `${file}:${sax.line}`;
  const num = (v: string | undefined, what: string): number => {
    const x = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(x)) throw new OsmImportError(`${at()}: ${what}: expected a number, got ${v === undefined ? 'nothing' : `'${v}'`}`);
    return x;
  };
  sax.on('error', (e) => {
    fail ??= new OsmImportError(`${file}:${sax.line}: not well-formed XML (${e.message.replace(/^(?:.*?:)?\d+:\d+: /, '')})`);
  });
  sax.on('opentag', (t) => {
    if (fail) return;
    const a = t.attributes as Record<string, string>;
    try {
      if (root === undefined) {
        root = t.name;
        if (t.name !== 'osm') throw new OsmImportError(`${at()}: not an OSM file (the root element is <${t.name}>, OSM XML has <osm>)`);
        return;
      }
      if (t.name === 'node') node = { id: num(a.id, 'node id'), lat: num(a.lat, 'node lat'), lon: num(a.lon, 'node lon'), tags: null };
      else if (t.name === 'way') way = { id: num(a.id, 'way id'), refs: [], tags: {}, at: at() };
      else if (t.name === 'nd' && way) way.refs.push(num(a.ref, 'nd ref'));
      else if (t.name === 'tag') {
        if (way) way.tags[a.k] = a.v;
        else if (node) (node.tags ??= {})[a.k] = a.v;
      }
    } catch (err) {
      fail = err as OsmImportError;
    }
  });
  sax.on('closetag', (t) => {
    if (fail) return;
    if (t.name === 'node' && node) {
      if (node.lat < -90 || node.lat > 90 || node.lon < -180 || node.lon > 180) fail = new OsmImportError(`${at()}: node ${node.id}: lat/lon outside the globe`);
      else visit.node?.(node);
      node = null;
    } else if (t.name === 'way' && way) {
      visit.way?.(way);
      way = null;
    }
  });
  const src = text.pipe(bound);
  text.on('error', (e) => src.destroy(e));
  for await (const chunk of src as AsyncIterable<Buffer>) {
    sax.write(chunk.toString('utf8'));
    if (fail) throw fail;
  }
  sax.close();
  if (fail) throw fail;
  if (root === undefined) throw new OsmImportError(`${file}: not an OSM file (${format === 'xml' ? 'no XML element in it' : 'it decompresses to no XML element'})`);
}

interface PbfItem {
  type?: string;
  id?: number;
  lat?: number;
  lon?: number;
  refs?: number[];
  tags?: Tags;
}

async function readPbf(file: string, raw: { stream: Readable; offset: () => number }, bound: Transform, visit: OsmVisitor): Promise<void> {
  const pbf = new OSMTransform({ withTags: true, withInfo: false });
  const src = raw.stream.pipe(bound).pipe(pbf);
  bound.on('error', (e) => src.destroy(e));
  try {
    for await (const batch of src as AsyncIterable<PbfItem[]>) {
      for (const it of batch) {
        if (it.type === 'node') visit.node?.({ id: it.id!, lat: it.lat!, lon: it.lon!, tags: it.tags && Object.keys(it.tags).length > 0 ? it.tags : null });
        else if (it.type === 'way') visit.way?.({ id: it.id!, refs: it.refs ?? [], tags: it.tags ?? {}, at: `${file}: way ${it.id}` });
      }
    }
  } catch (err) {
    if (err instanceof OsmImportError) throw err;
    throw new OsmImportError(`${file}: byte ${raw.offset()}: PBF data is damaged or cut short (${(err as Error).message})`);
  }
}
