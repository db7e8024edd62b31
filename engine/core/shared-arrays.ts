/**
 * Named typed arrays in SharedArrayBuffers, for state that worker threads work on in place: the
 * owner allocates them (filled with a start value), a worker builds the same set as views over the
 * owner's buffers (no fill: the owner's values stand).
 */
export type SharedTyped = Float64Array | Int32Array | Uint8Array;

export class SharedArrays {
  private readonly made: Record<string, SharedTyped> = {};

  /** With `given`, every array is a view of the named buffer (another thread's); otherwise a new one. */
  constructor(private readonly given?: Record<string, SharedArrayBuffer>) {}

  f64(name: string, length: number, fill = 0): Float64Array {
    return this.make(name, Float64Array, length, fill);
  }

  i32(name: string, length: number, fill = 0): Int32Array {
    return this.make(name, Int32Array, length, fill);
  }

  u8(name: string, length: number, fill = 0): Uint8Array {
    return this.make(name, Uint8Array, length, fill);
  }

  /** Whether these are views of another thread's arrays (which must not be initialised again). */
  get isView(): boolean {
    return this.given !== undefined;
  }

  buffers(): Record<string, SharedArrayBuffer> {
    return Object.fromEntries(Object.entries(this.made).map(([k, a]) => [k, a.buffer as SharedArrayBuffer]));
  }

  private make<T extends SharedTyped>(name: string, Ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number, fill: number): T {
    if (this.made[name]) throw new Error(`shared array '${name}' made twice`);
    let a: T;
    if (this.given) {
      const b = this.given[name];
      if (!b) throw new Error(`shared array '${name}' missing from the buffers given`);
      a = new Ctor(b);
      if (length === 0) a = a.subarray(0, 0) as T;
      if (a.length !== length) throw new Error(`shared array '${name}' holds ${a.length} elements, ${length} expected`);
    } else {
      a = new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
      if (length === 0) a = a.subarray(0, 0) as T;
      if (fill !== 0) a.fill(fill);
    }
    this.made[name] = a;
    return a;
  }
}
