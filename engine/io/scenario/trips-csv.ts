/**
 * Reading a trips file (`demand: [{ tripsFile: trips.csv }]`): a CSV with a header naming its
 * columns, one trip per line, with the fields and meanings of a YAML `trips` entry. It is read in
 * chunks (never as one string, engine/io/limits.ts bounds its bytes) straight into the compact
 * columns of a TripTable (engine/spec/trip-table.ts), and checked on the way as the YAML form is
 * (types, edges, lanes, connectivity, stops), every problem at FILE:LINE:COL with the column's
 * name. So 1 M trips load in a few seconds in ~40 MB, where the same trips as YAML take minutes
 * and gigabytes.
 *
 * Columns (any order; only the first four are required):
 *   type, depart, from, to        as in YAML (a type or distribution, s, edge ids)
 *   id                            the trip's id (trips.csv's tripId); empty: none
 *   via                           edge ids separated by spaces; empty: none
 *   departSpeed                   max or m/s; empty: max
 *   departLane                    best, first, free, random, allowed or a lane index; empty: best
 *   departPos                     base, random, free or m; empty: base
 *   arrivalPos                    max, random or m; empty: max
 *   stops                         a JSON list of stops as in YAML ([{"edge": "e1", "pos": 20, "duration": 30}]), quoted
 * A field may be quoted ("…", with "" for a quote) and then holds commas; blank lines and lines
 * starting with # are skipped. Rows need not be sorted: departures come out by depart, then row.
 */
import { createHash } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { InputLimitError, LIMITS as INPUT_LIMITS, readChunksBounded } from '../limits.js';
import type { LocatedProblem } from './errors.js';
import { LIMITS } from './limits.js';
import { stopSchema, type Scenario } from '../../spec/schema.js';
import { DEPART_LANE_CODES, LANE_NONE, POS_BASE, POS_FREE, POS_MAX, POS_NONE, POS_RANDOM, POS_VALUE, type TripTable, type TripTableStop } from '../../spec/trip-table.js';
import type { Network } from '../../road/network.js';
import { Router } from '../../road/routing.js';

export const TRIP_COLUMNS = ['id', 'type', 'depart', 'from', 'to', 'via', 'departSpeed', 'departLane', 'departPos', 'arrivalPos', 'stops'] as const;
type Column = (typeof TRIP_COLUMNS)[number];
const REQUIRED: Column[] = ['type', 'depart', 'from', 'to'];

/** A file with more problems than this stops being read: the first ones say what is wrong. */
export const MAX_FILE_PROBLEMS = 20;
/** The longest line (a trip with a via list of thousands of edges fits). */
export const MAX_LINE_CHARS = 4 * 1024 * 1024;

export interface TripsFileOptions {
  /** the file, resolved against the scenario's folder (messages name it so) */
  file: string;
  scenario: Scenario;
  /** the scenario's built network */
  network: Network;
  /** most trips the file may hold (what the scenario's departure limit leaves) */
  maxTrips?: number;
  /** read in chunks of this many bytes (tests make them small) */
  chunkBytes?: number;
  /** a router over `network` to check connectivity with (shared by several files) */
  router?: Router;
}

/**
 * The file's table, or its problems (at most MAX_FILE_PROBLEMS and a last one saying it stopped),
 * or why it could not be read at all (`unreadable`: no such file, a device, over its bound …).
 */
export function readTripsFile(o: TripsFileOptions): { table?: TripTable; problems: LocatedProblem[]; unreadable?: string } {
  const r = new TripsReader(o);
  const sha = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  try {
    bytes = readChunksBounded(
      o.file,
      INPUT_LIMITS.demand,
      (chunk) => {
        if (r.stopped) return;
        sha.update(chunk);
        r.feed(decoder.write(chunk));
      },
      o.chunkBytes,
    );
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      err instanceof InputLimitError
        ? err.message
        : code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'a directory, not a file'
            : code === 'EACCES' || code === 'EPERM'
              ? 'permission denied'
              : (err as Error).message;
    return { problems: [], unreadable: why };
  }
  if (!r.stopped) r.feed(decoder.end(), true);
  return r.finish(sha.digest('hex'), bytes);
}

/** A growable typed array column. */
class Col<T extends Float64Array | Int32Array | Int16Array | Uint16Array | Uint8Array> {
  a: T;
  constructor(private readonly Ctor: { new (n: number): T }, cap = 1024) {
    this.a = new Ctor(cap);
  }
  set(k: number, v: number): void {
    if (k >= this.a.length) {
      const b = new this.Ctor(this.a.length * 2);
      (b as unknown as { set(x: T): void }).set(this.a);
      this.a = b;
    }
    this.a[k] = v;
  }
  /** the first n entries, in an array of their own (the spare capacity is let go) */
  trim(n: number): T {
    return this.a.slice(0, n) as T;
  }
}

class TripsReader {
  stopped = false;
  private readonly problems: LocatedProblem[] = [];
  private problemCount = 0;
  private carry = '';
  private lineNo = 0;
  private header: Column[] | null = null;
  private idx: Record<Column, number> = Object.fromEntries(TRIP_COLUMNS.map((c) => [c, -1])) as Record<Column, number>;
  private n = 0;
  private sorted = true;
  private lastDepart = -Infinity;
  private readonly maxTrips: number;
  private stopCount = 0;

  // dictionaries
  private readonly edgeNames: string[] = [];
  private readonly edgeDict = new Map<string, number>();
  /** network edge index of each dictionary entry */
  private edgeNet = new Int32Array(256);
  private readonly typeNames: string[] = [];
  private readonly typeDict = new Map<string, number>();
  private readonly types: Set<string>;
  private readonly dists: Set<string>;

  // columns
  private readonly depart = new Col(Float64Array);
  private readonly type = new Col(Uint16Array);
  private readonly from = new Col(Int32Array);
  private readonly to = new Col(Int32Array);
  private readonly via = new Col(Int32Array);
  private readonly departSpeed = new Col(Float64Array);
  private departLane: Col<Int16Array> | null = null;
  private departPosKind: Col<Uint8Array> | null = null;
  private departPos: Col<Float64Array> | null = null;
  private arrivalPosKind: Col<Uint8Array> | null = null;
  private arrivalPos: Col<Float64Array> | null = null;
  private idPool: Buffer | null = null;
  private idUsed = 0;
  private idStart: Col<Int32Array> | null = null;
  private hasId: Col<Uint8Array> | null = null;
  private readonly stops = new Map<number, TripTableStop[]>();

  // interned via lists: runs of edge-dictionary indices in one pool, found again by hash
  private readonly viaStart = new Col(Int32Array);
  private readonly viaLength = new Col(Int32Array);
  private readonly viaPool = new Col(Int32Array, 4096);
  private viaUsed = 0;
  private viaLists = 0;
  private viaSlots = new Int32Array(1024).fill(-1);
  private readonly scratch: number[] = [];

  // per line, reused
  private readonly texts: string[] = [];
  private readonly cols: number[] = [];
  private readonly router: Router;

  constructor(private readonly o: TripsFileOptions) {
    this.maxTrips = o.maxTrips ?? LIMITS.departures;
    this.types = new Set(Object.keys(o.scenario.vehicleTypes));
    this.dists = new Set(Object.keys(o.scenario.vehicleTypeDistributions ?? {}));
    this.router = o.router ?? new Router(o.network);
  }

  feed(text: string, last = false): void {
    let s = this.carry.length > 0 ? this.carry + text : text;
    let at = 0;
    for (;;) {
      const nl = s.indexOf('\n', at);
      if (nl < 0) break;
      this.line(s, at, nl);
      if (this.stopped) return;
      at = nl + 1;
    }
    s = at === 0 ? s : s.slice(at);
    if (last) {
      if (s.length > 0) this.line(s, 0, s.length);
      this.carry = '';
    } else {
      this.carry = s;
      if (s.length > MAX_LINE_CHARS) {
        this.add(this.lineNo + 1, 1, '', `a line of more than ${MAX_LINE_CHARS.toLocaleString('en')} characters`);
        this.stopped = true;
      }
    }
  }

  private add(line: number, col: number, path: string, message: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_FILE_PROBLEMS) this.problems.push({ file: this.o.file, line, col, path, message });
    else {
      this.problems.push({ file: this.o.file, line, col: 1, path: '', message: `more than ${MAX_FILE_PROBLEMS} problems; the file was read no further` });
      this.stopped = true;
    }
  }

  private line(s: string, a: number, b: number): void {
    this.lineNo++;
    if (b > a && s.charCodeAt(b - 1) === 13) b--; // \r\n
    // blank lines and comments
    let p = a;
    while (p < b && (s.charCodeAt(p) === 32 || s.charCodeAt(p) === 9)) p++;
    if (p === b || s.charCodeAt(p) === 35) return;
    const raw = s.slice(a, b);
    if (!this.split(raw)) return;
    if (!this.header) this.readHeader();
    else this.row();
  }

  /** Splits a line into trimmed fields and their 1-based columns; false (and a problem) when its quoting is broken. */
  private split(raw: string): boolean {
    const texts = this.texts;
    const cols = this.cols;
    texts.length = 0;
    cols.length = 0;
    const n = raw.length;
    let i = 0;
    for (;;) {
      // one field from i
      let j = i;
      while (j < n && (raw.charCodeAt(j) === 32 || raw.charCodeAt(j) === 9)) j++;
      if (j < n && raw.charCodeAt(j) === 34) {
        // quoted: up to the closing quote, "" for a quote
        let v = '';
        let k = j + 1;
        for (;;) {
          const q = raw.indexOf('"', k);
          if (q < 0) {
            this.add(this.lineNo, j + 1, '', 'a quoted field has no closing quote (a field may not span lines)');
            return false;
          }
          v += raw.slice(k, q);
          if (raw.charCodeAt(q + 1) === 34) {
            v += '"';
            k = q + 2;
          } else {
            k = q + 1;
            break;
          }
        }
        while (k < n && (raw.charCodeAt(k) === 32 || raw.charCodeAt(k) === 9)) k++;
        if (k < n && raw.charCodeAt(k) !== 44) {
          this.add(this.lineNo, k + 1, '', 'text after a quoted field; put the whole field in quotes');
          return false;
        }
        texts.push(v);
        cols.push(j + 1);
        if (k >= n) return true;
        i = k + 1;
      } else {
        const c = raw.indexOf(',', j);
        const end = c < 0 ? n : c;
        let e = end;
        while (e > j && (raw.charCodeAt(e - 1) === 32 || raw.charCodeAt(e - 1) === 9)) e--;
        const v = raw.slice(j, e);
        if (v.includes('"')) {
          this.add(this.lineNo, j + 1, '', 'a quote inside an unquoted field; quote the whole field and write a quote as ""');
          return false;
        }
        texts.push(v);
        cols.push(j + 1);
        if (c < 0) return true;
        i = c + 1;
      }
    }
  }

  private readHeader(): void {
    const before = this.problemCount;
    const header: Column[] = [];
    this.texts.forEach((name, i) => {
      const col = this.cols[i];
      if (!(TRIP_COLUMNS as readonly string[]).includes(name)) this.add(this.lineNo, col, name, `unknown column '${name}' (the columns are ${TRIP_COLUMNS.join(', ')})`);
      else if (this.idx[name as Column] >= 0) this.add(this.lineNo, col, name, `column '${name}' given twice`);
      else this.idx[name as Column] = i;
      header.push(name as Column);
    });
    for (const c of REQUIRED) if (this.idx[c] < 0) this.add(this.lineNo, 1, c, `the header has no '${c}' column (the required columns are ${REQUIRED.join(', ')})`);
    if (this.problemCount > before) {
      this.stopped = true;
      return;
    }
    this.header = header;
    if (this.idx.departLane >= 0) this.departLane = new Col(Int16Array);
    if (this.idx.departPos >= 0) {
      this.departPosKind = new Col(Uint8Array);
      this.departPos = new Col(Float64Array);
    }
    if (this.idx.arrivalPos >= 0) {
      this.arrivalPosKind = new Col(Uint8Array);
      this.arrivalPos = new Col(Float64Array);
    }
    if (this.idx.id >= 0) {
      this.idPool = Buffer.allocUnsafe(16 * 1024);
      this.idStart = new Col(Int32Array);
      this.hasId = new Col(Uint8Array);
      this.idStart.set(0, 0);
    }
  }

  /** An edge's dictionary index, or −1 (and a problem) for an unknown edge. */
  private edge(name: string, col: number, column: Column): number {
    let d = this.edgeDict.get(name);
    if (d === undefined) {
      const e = this.o.network.edgeIndex.get(name);
      if (e === undefined) {
        this.add(this.lineNo, col, column, name === '' ? 'an edge id is required' : `unknown edge '${name}'`);
        return -1;
      }
      d = this.edgeNames.length;
      this.edgeNames.push(name);
      this.edgeDict.set(name, d);
      if (d >= this.edgeNet.length) {
        const b = new Int32Array(this.edgeNet.length * 2);
        b.set(this.edgeNet);
        this.edgeNet = b;
      }
      this.edgeNet[d] = e;
    }
    return d;
  }

  private row(): void {
    const { texts, cols, idx } = this;
    const line = this.lineNo;
    if (texts.length !== this.header!.length) {
      this.add(line, 1, '', `${texts.length} field(s), the header has ${this.header!.length}`);
      return;
    }
    if (this.n >= this.maxTrips) {
      this.add(line, 1, '', `more than ${this.maxTrips.toLocaleString('en')} trips (the departures a scenario may have)`);
      this.stopped = true;
      return;
    }
    const before = this.problemCount;
    const f = (c: Column) => texts[idx[c]];
    const at = (c: Column) => cols[idx[c]];
    const net = this.o.network;

    // type
    const typeName = f('type');
    let type = this.typeDict.get(typeName);
    if (type === undefined) {
      if (typeName === '') this.add(line, at('type'), 'type', 'a vehicle type is required');
      else if (!this.types.has(typeName) && !this.dists.has(typeName)) this.add(line, at('type'), 'type', `unknown vehicle type '${typeName}' (nor a vehicle type distribution)`);
      else {
        type = this.typeNames.length;
        this.typeNames.push(typeName);
        this.typeDict.set(typeName, type);
      }
    }
    // depart
    const depart = num(f('depart'));
    if (!(depart >= 0 && Number.isFinite(depart))) this.add(line, at('depart'), 'depart', `must be a number of seconds, at least 0, got '${f('depart')}'`);
    // from, to, via
    const from = this.edge(f('from'), at('from'), 'from');
    const to = this.edge(f('to'), at('to'), 'to');
    const via = this.scratch;
    via.length = 0;
    let viaOk = true;
    if (idx.via >= 0 && f('via') !== '') {
      const text = f('via');
      const base = at('via');
      let k = 0;
      while (k < text.length) {
        while (k < text.length && text.charCodeAt(k) === 32) k++;
        if (k >= text.length) break;
        let e = text.indexOf(' ', k);
        if (e < 0) e = text.length;
        const d = this.edge(text.slice(k, e), base + k, 'via');
        if (d < 0) viaOk = false;
        via.push(d);
        k = e;
      }
    }
    // departSpeed
    let departSpeed = -1;
    if (idx.departSpeed >= 0) {
      const t = f('departSpeed');
      if (t !== '' && t !== 'max') {
        departSpeed = num(t);
        if (!(departSpeed >= 0 && Number.isFinite(departSpeed))) this.add(line, at('departSpeed'), 'departSpeed', `must be max or a speed in m/s, at least 0, got '${t}'`);
        else if (departSpeed > LIMITS.speed) this.add(line, at('departSpeed'), 'departSpeed', `the speed is ${departSpeed} m/s, over the limit of ${LIMITS.speed} m/s`);
      }
    }
    // departLane
    let departLane = LANE_NONE;
    if (this.departLane) {
      const t = f('departLane');
      if (t !== '') {
        const code = (DEPART_LANE_CODES as readonly string[]).indexOf(t);
        if (code >= 0) departLane = -2 - code;
        else if (/^[0-9]+$/.test(t) && Number(t) <= 32767) {
          departLane = Number(t);
          if (from >= 0 && departLane >= net.edgeLanes[this.edgeNet[from]])
            this.add(line, at('departLane'), 'departLane', `edge '${f('from')}' has ${net.edgeLanes[this.edgeNet[from]]} lane(s); lanes are numbered from 0`);
        } else this.add(line, at('departLane'), 'departLane', `must be ${DEPART_LANE_CODES.join(', ')} or a lane index (0 = rightmost), got '${t}'`);
      }
    }
    // departPos, arrivalPos
    let dpKind = POS_NONE;
    let dp = 0;
    if (this.departPosKind) {
      const t = f('departPos');
      if (t === 'base') dpKind = POS_BASE;
      else if (t === 'random') dpKind = POS_RANDOM;
      else if (t === 'free') dpKind = POS_FREE;
      else if (t !== '') {
        dp = num(t);
        if (dp >= 0 && Number.isFinite(dp)) dpKind = POS_VALUE;
        else this.add(line, at('departPos'), 'departPos', `must be base, random, free or metres from the start of the edge, at least 0, got '${t}'`);
      }
    }
    let apKind = POS_NONE;
    let ap = 0;
    if (this.arrivalPosKind) {
      const t = f('arrivalPos');
      if (t === 'max') apKind = POS_MAX;
      else if (t === 'random') apKind = POS_RANDOM;
      else if (t !== '') {
        ap = num(t);
        if (Number.isFinite(ap)) apKind = POS_VALUE;
        else this.add(line, at('arrivalPos'), 'arrivalPos', `must be max, random or metres from the start of the last edge (negative: from its end), got '${t}'`);
      }
    }
    // id
    let id: string | undefined;
    if (idx.id >= 0 && f('id') !== '') {
      id = f('id');
      if (id.length > 200) this.add(line, at('id'), 'id', `an id may have at most 200 characters, this one has ${id.length}`);
    }
    // stops
    let stops: TripTableStop[] | undefined;
    if (idx.stops >= 0 && f('stops') !== '') stops = this.readStops(f('stops'), at('stops'));

    if (this.problemCount > before) return;
    // connectivity, as the YAML form is checked (semantics.ts): every leg of from → via… → to
    const points = [from, ...via, to];
    if (viaOk) {
      for (let k = 1; k < points.length; k++) {
        const a = this.edgeNet[points[k - 1]];
        const b = this.edgeNet[points[k]];
        if (net.edgeSuccessors[a].includes(b) || a === b) continue;
        if (!this.router.reachable(a)[b]) {
          if (via.length === 0) this.add(line, at('to'), 'to', `no route from edge '${f('from')}' to edge '${f('to')}': the network does not connect them`);
          else this.add(line, at('via'), 'via', `no route from '${f('from')}' through ${via.map((v) => `'${this.edgeNames[v]}'`).join(', ')} to '${f('to')}'`);
          return;
        }
      }
    }
    if (stops) {
      const route = this.router.routeVia(points.map((p) => this.edgeNet[p]));
      if (route) {
        for (const st of stops) {
          const e = net.edgeIndex.get(st.edge)!;
          if (!route.includes(e)) this.add(line, at('stops'), 'stops', `edge '${st.edge}' is not on the route`);
        }
      }
      if (this.problemCount > before) return;
    }

    // the row is good: store it
    const k = this.n++;
    this.depart.set(k, depart);
    if (depart < this.lastDepart) this.sorted = false;
    this.lastDepart = depart;
    this.type.set(k, type!);
    this.from.set(k, from);
    this.to.set(k, to);
    this.via.set(k, via.length > 0 ? this.intern(via) : -1);
    this.departSpeed.set(k, departSpeed);
    this.departLane?.set(k, departLane);
    this.departPosKind?.set(k, dpKind);
    this.departPos?.set(k, dp);
    this.arrivalPosKind?.set(k, apKind);
    this.arrivalPos?.set(k, ap);
    if (this.idStart) {
      if (id !== undefined) {
        const len = Buffer.byteLength(id);
        if (this.idUsed + len > this.idPool!.length) {
          const b = Buffer.allocUnsafe(Math.max(this.idPool!.length * 2, this.idUsed + len));
          this.idPool!.copy(b, 0, 0, this.idUsed);
          this.idPool = b;
        }
        this.idUsed += this.idPool!.write(id, this.idUsed);
      }
      this.hasId!.set(k, id !== undefined ? 1 : 0);
      this.idStart.set(k + 1, this.idUsed);
    }
    if (stops) {
      this.stops.set(k, stops);
      this.stopCount += stops.length;
    }
  }

  /** The stops column: a JSON list of stops as in YAML, each checked against the network. */
  private readStops(text: string, col: number): TripTableStop[] | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.add(this.lineNo, col, 'stops', `must be a JSON list of stops ([{"edge": "…", "pos": 10, "duration": 20}]): ${(err as Error).message}`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(this.lineNo, col, 'stops', 'must be a JSON list of stops ([{"edge": "…", "pos": 10, "duration": 20}])');
      return undefined;
    }
    const out: TripTableStop[] = [];
    const net = this.o.network;
    value.forEach((v, k) => {
      const r = stopSchema.safeParse(v);
      if (!r.success) {
        const issue = r.error.issues[0];
        const field = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
        this.add(this.lineNo, col, `stops.${k}${field}`, issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((x) => `'${x}'`).join(', ')} (a stop has edge, pos, lane, duration, until, name)` : `invalid stop: ${issue.message}`);
        return;
      }
      const st = r.data;
      const e = net.edgeIndex.get(st.edge);
      if (e === undefined) this.add(this.lineNo, col, `stops.${k}.edge`, `unknown edge '${st.edge}'`);
      else {
        if (st.pos > net.edgeLength[e]) this.add(this.lineNo, col, `stops.${k}.pos`, `stop position ${st.pos} m is beyond the end of edge '${st.edge}' (${Math.round(net.edgeLength[e] * 10) / 10} m)`);
        if (st.lane !== undefined && st.lane >= net.edgeLanes[e]) this.add(this.lineNo, col, `stops.${k}.lane`, `edge '${st.edge}' has ${net.edgeLanes[e]} lane(s); lanes are numbered from 0`);
      }
      out.push(st);
    });
    return out;
  }

  /** The index of a via list equal to `list` (edge-dictionary indices), stored once. */
  private intern(list: number[]): number {
    let h = 0x811c9dc5 | 0;
    for (const x of list) h = Math.imul(h ^ x, 0x01000193);
    h = Math.imul(h ^ list.length, 0x01000193);
    const mask = this.viaSlots.length - 1;
    let s = (h >>> 0) & mask;
    const pool = this.viaPool;
    for (;;) {
      const v = this.viaSlots[s];
      if (v < 0) break;
      if (this.viaLength.a[v] === list.length) {
        const start = this.viaStart.a[v];
        let same = true;
        for (let i = 0; i < list.length; i++)
          if (pool.a[start + i] !== list[i]) {
            same = false;
            break;
          }
        if (same) return v;
      }
      s = (s + 1) & mask;
    }
    const v = this.viaLists++;
    this.viaStart.set(v, this.viaUsed);
    this.viaLength.set(v, list.length);
    for (const x of list) pool.set(this.viaUsed++, x);
    this.viaSlots[s] = v;
    if (this.viaLists * 2 > this.viaSlots.length) this.rehash();
    return v;
  }

  private rehash(): void {
    const slots = new Int32Array(this.viaSlots.length * 2).fill(-1);
    const mask = slots.length - 1;
    const pool = this.viaPool.a;
    for (let v = 0; v < this.viaLists; v++) {
      const start = this.viaStart.a[v];
      const len = this.viaLength.a[v];
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < len; i++) h = Math.imul(h ^ pool[start + i], 0x01000193);
      h = Math.imul(h ^ len, 0x01000193);
      let s = (h >>> 0) & mask;
      while (slots[s] >= 0) s = (s + 1) & mask;
      slots[s] = v;
    }
    this.viaSlots = slots;
  }

  finish(sha256: string, bytes: number): { table?: TripTable; problems: LocatedProblem[] } {
    if (!this.header && this.problems.length === 0)
      this.add(Math.max(1, this.lineNo), 1, '', `the file has no header (a line naming the columns, at least ${REQUIRED.join(', ')})`);
    if (this.stopCount > LIMITS.stops) this.add(1, 1, 'stops', `the number of stops is ${this.stopCount.toLocaleString('en')}, over the limit of ${LIMITS.stops.toLocaleString('en')}`);
    if (this.problems.length > 0) return { problems: this.problems };
    const n = this.n;
    const depart = this.depart.trim(n);
    let order: Int32Array;
    if (this.sorted) order = Int32Array.from({ length: n }, (_, k) => k);
    else {
      const rows = Array.from({ length: n }, (_, k) => k);
      rows.sort((a, b) => depart[a] - depart[b] || a - b);
      order = Int32Array.from(rows);
    }
    // the via lists as network-independent names: dictionary indices stay as they are
    const table: TripTable = {
      file: this.o.file,
      sha256,
      bytes,
      count: n,
      edgeNames: this.edgeNames,
      typeNames: this.typeNames,
      depart,
      type: this.type.trim(n),
      from: this.from.trim(n),
      to: this.to.trim(n),
      via: this.via.trim(n),
      viaStart: this.viaStart.trim(this.viaLists),
      viaLength: this.viaLength.trim(this.viaLists),
      viaPool: this.viaPool.trim(this.viaUsed),
      viaLists: this.viaLists,
      departSpeed: this.departSpeed.trim(n),
      departLane: this.departLane?.trim(n) ?? null,
      departPosKind: this.departPosKind?.trim(n) ?? null,
      departPos: this.departPos?.trim(n) ?? null,
      arrivalPosKind: this.arrivalPosKind?.trim(n) ?? null,
      arrivalPos: this.arrivalPos?.trim(n) ?? null,
      idPool: this.idPool ? new Uint8Array(this.idPool.subarray(0, this.idUsed)) : null,
      idStart: this.idStart?.trim(n + 1) ?? null,
      hasId: this.hasId?.trim(n) ?? null,
      stops: this.stops,
      order,
    };
    return { table, problems: [] };
  }
}

/** A number as YAML would read it from a plain scalar: decimal (with exponent); NaN for anything else. */
function num(t: string): number {
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}
