/**
 * Hazards the RSUs announce by RSI besides the scenario's road events: the city events on the road
 * that the perception platform has confirmed (engine/perception; docs/perception.md, "RSI"), from
 * confirmation until clearance. Every RSU whose radio reaches the hazard's place (the same test as
 * for road events, rsus.ts) announces it.
 *
 * The table has one writer, the owner of the perception state, in the main thread between phases
 * (the perception phase); the communicate phase reads it in every thread: the main thread to know
 * which RSUs have an RSI to send, the receivers (receive.ts) the hazards each RSU announces ahead
 * of a driver. It lives in SharedArrayBuffers; a write that needs more room replaces them, and
 * `generation` tells the workers to take the new ones (like V2xShared).
 *
 * A hazard is numbered by its owner (the city event's index) and its section stays in the table
 * after it is withdrawn, so that a driver still holding its last RSI (for up to 1/RSI_RATE s) reads
 * the same place, and a resumed run, which rebuilds the table from the owner's state, reads it too.
 */

/** What the owner says of one hazard (main thread). */
export interface HazardSection {
  /** the owner's number for it (≥ 0, unique) */
  id: number;
  /** what warnings and records call it */
  name: string;
  /** what it is (the RSI's alert type) */
  kind: string;
  edge: number;
  /** global lane indices it blocks */
  lanes: readonly number[];
  start: number;
  end: number;
  /** where it is, m (which RSUs reach it) */
  x: number;
  y: number;
  /** announced now (false: withdrawn, its section kept) */
  active: boolean;
}

export interface HazardBuffers {
  head: SharedArrayBuffer;
  section: SharedArrayBuffer;
  rsuStart: SharedArrayBuffer;
  rsuList: SharedArrayBuffer;
}

/** per hazard in `section`: edge, start, end */
export const HAZARD_STRIDE = 3;
const H_CAPACITY = 0;
const H_LIST_CAPACITY = 1;

export class AnnouncedHazards {
  generation = 0;
  /** per hazard id: [edge, start, end] */
  section!: Float64Array;
  /** per RSU r, the hazards it announces now: rsuList[rsuStart[r] .. rsuStart[r + 1]], ascending */
  rsuStart: Int32Array;
  rsuList!: Int32Array;
  private readonly head: Int32Array;
  /** main thread only: what each hazard is, for warnings and records (by id) */
  readonly described = new Map<number, Pick<HazardSection, 'name' | 'kind' | 'lanes'>>();

  /**
   * @param rsuX RSU positions, m (main thread; a worker passes its model's)
   * @param reach the radio range within which an RSU announces a hazard, m
   */
  constructor(
    private readonly rsuX: ArrayLike<number>,
    private readonly rsuY: ArrayLike<number>,
    private readonly reach: number,
    buffers?: HazardBuffers,
  ) {
    const R = rsuX.length;
    if (buffers) {
      this.head = new Int32Array(buffers.head);
      this.rsuStart = new Int32Array(buffers.rsuStart);
      this.map(buffers);
    } else {
      this.head = new Int32Array(new SharedArrayBuffer(8));
      this.rsuStart = new Int32Array(new SharedArrayBuffer((R + 1) * 4));
      this.grow(16, 16);
    }
  }

  /** Whether RSU r announces any hazard now. */
  announces(r: number): boolean {
    return this.rsuStart[r + 1] > this.rsuStart[r];
  }

  /** Any hazard announced now, by any RSU. */
  get any(): boolean {
    return this.rsuStart[this.rsuStart.length - 1] > 0;
  }

  edgeOf(h: number): number {
    return this.section[h * HAZARD_STRIDE];
  }

  startOf(h: number): number {
    return this.section[h * HAZARD_STRIDE + 1];
  }

  endOf(h: number): number {
    return this.section[h * HAZARD_STRIDE + 2];
  }

  /**
   * The owner's whole list (main thread, between phases): every hazard it has announced, active
   * or withdrawn. Rewrites the table; the order of `list` does not matter.
   */
  publish(list: readonly HazardSection[]): void {
    const R = this.rsuX.length;
    let need = 0;
    for (const h of list) need = Math.max(need, h.id + 1);
    const perRsu: number[][] = Array.from({ length: R }, () => []);
    for (const h of list) {
      if (!h.active) continue;
      for (let r = 0; r < R; r++) if (Math.hypot(h.x - this.rsuX[r], h.y - this.rsuY[r]) <= this.reach) perRsu[r].push(h.id);
    }
    let listLength = 0;
    for (const l of perRsu) listLength += l.length;
    if (need > this.head[H_CAPACITY] || listLength > this.head[H_LIST_CAPACITY]) this.grow(Math.max(need, 2 * this.head[H_CAPACITY]), Math.max(listLength, 2 * this.head[H_LIST_CAPACITY]));
    for (const h of list) {
      const o = h.id * HAZARD_STRIDE;
      this.section[o] = h.edge;
      this.section[o + 1] = h.start;
      this.section[o + 2] = h.end;
      this.described.set(h.id, { name: h.name, kind: h.kind, lanes: h.lanes });
    }
    let at = 0;
    for (let r = 0; r < R; r++) {
      this.rsuStart[r] = at;
      for (const id of perRsu[r].sort((a, b) => a - b)) this.rsuList[at++] = id;
    }
    this.rsuStart[R] = at;
  }

  private grow(capacity: number, listCapacity: number): void {
    const section = new Float64Array(new SharedArrayBuffer(Math.max(1, capacity) * HAZARD_STRIDE * 8));
    if (this.section) section.set(this.section);
    this.section = section;
    this.rsuList = new Int32Array(new SharedArrayBuffer(Math.max(1, listCapacity) * 4));
    this.head[H_CAPACITY] = capacity;
    this.head[H_LIST_CAPACITY] = listCapacity;
    this.generation++;
  }

  buffers(): HazardBuffers {
    const b = (a: { buffer: ArrayBufferLike }) => a.buffer as SharedArrayBuffer;
    return { head: b(this.head), section: b(this.section), rsuStart: b(this.rsuStart), rsuList: b(this.rsuList) };
  }

  /** Takes the main thread's (new) buffers. */
  map(b: HazardBuffers): void {
    this.section = new Float64Array(b.section);
    this.rsuList = new Int32Array(b.rsuList);
  }
}
