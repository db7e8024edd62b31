/**
 * A uniform-grid spatial index over points held in typed arrays (x[i], y[i], 0 <= i < count),
 * for neighbour queries of the radio channel (issue 5: reception must cost O(transmitters ×
 * neighbours), not O(N²)).
 *
 * Cells are squares of side `cellSize` (the radio range is a good choice: a query of radius r
 * then visits 3 × 3 cells). Cells are not stored in a bounded grid but hashed into a power-of-two
 * table of buckets, so points anywhere — far outside any initial bounding box, at 1e9 m — are
 * indexed without clamping or resizing. Each point remembers its own cell; a query visits the
 * cells of its window row by row and, in each cell's bucket, takes only the points whose own cell
 * is that cell, so a bucket shared by two cells of the window (a hash collision) never yields a
 * point twice.
 *
 * `rebuild` is O(count + buckets): a counting sort of the point indices by bucket (stable, so
 * within a cell indices ascend). Nothing is allocated unless `count` exceeds the capacity, which
 * then doubles (amortised: allocation stops once the capacity covers the largest tick).
 *
 * Visit order is deterministic: cells of the query window in row-major order (y, then x), then
 * point index ascending within a cell. When the window has more than 2 × count + 64 cells (a
 * radius far larger than the cell size), the query scans all points by index instead (also
 * deterministic: the order is then by index).
 *
 * The index keeps references to the x and y arrays it was built from and reads them in queries:
 * they must not change between `rebuild` and the queries. Points with a non-finite coordinate
 * are left out.
 */

/** Smallest power of two >= n (n >= 1). */
function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Hash of a cell's integer coordinates into [0, mask]. Deterministic, no allocation. */
function cellBucket(cx: number, cy: number, mask: number): number {
  let h = Math.imul(cx, 0x9e3779b1) ^ Math.imul(cy, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & mask;
}

export class GridIndex {
  /** side of a square cell, m */
  readonly cellSize: number;
  private readonly invCell: number;
  /** number of points of the last rebuild */
  count = 0;
  private capacity = 0;
  private mask = 0;
  private xs: Float64Array = new Float64Array(0);
  private ys: Float64Array = new Float64Array(0);
  /** per point: its cell coordinates (wrapped to int32), and whether it is indexed */
  private cellX: Int32Array = new Int32Array(0);
  private cellY: Int32Array = new Int32Array(0);
  private indexed: Uint8Array = new Uint8Array(0);
  private bucketOf: Int32Array = new Int32Array(0);
  /** bucketStart[b] .. bucketStart[b + 1] is bucket b's range in `sorted` */
  private bucketStart: Int32Array = new Int32Array(1);
  private fill: Int32Array = new Int32Array(0);
  /** point indices sorted by bucket, ascending index within a bucket */
  private sorted: Int32Array = new Int32Array(0);

  /**
   * @param cellSize side of a cell in metres (> 0); the typical query radius is a good choice
   * @param initialCapacity points to allocate for up front (grows by doubling when exceeded)
   */
  constructor(cellSize: number, initialCapacity = 1024) {
    if (!(cellSize > 0) || !Number.isFinite(cellSize)) throw new Error(`GridIndex: cellSize must be a positive number, got ${cellSize}`);
    this.cellSize = cellSize;
    this.invCell = 1 / cellSize;
    this.allocate(Math.max(1, initialCapacity));
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    // about two buckets per point keeps collisions rare and the table small
    const buckets = powerOfTwoAtLeast(2 * capacity);
    this.mask = buckets - 1;
    this.cellX = new Int32Array(capacity);
    this.cellY = new Int32Array(capacity);
    this.indexed = new Uint8Array(capacity);
    this.bucketOf = new Int32Array(capacity);
    this.sorted = new Int32Array(capacity);
    this.bucketStart = new Int32Array(buckets + 1);
    this.fill = new Int32Array(buckets);
  }

  /** Index points 0..count-1 of (x, y). O(count + buckets). */
  rebuild(x: Float64Array, y: Float64Array, count: number): void {
    if (count > x.length || count > y.length) throw new Error(`GridIndex.rebuild: count ${count} exceeds the coordinate arrays`);
    if (count > this.capacity) this.allocate(powerOfTwoAtLeast(count));
    this.xs = x;
    this.ys = y;
    this.count = count;
    const { cellX, cellY, indexed, bucketOf, bucketStart, fill, sorted, mask, invCell } = this;
    bucketStart.fill(0);
    for (let i = 0; i < count; i++) {
      const px = x[i];
      const py = y[i];
      if (!Number.isFinite(px) || !Number.isFinite(py)) {
        indexed[i] = 0;
        continue;
      }
      indexed[i] = 1;
      // `| 0` wraps cells beyond ±2^31 deterministically; queries compare wrapped values the same way
      const cx = Math.floor(px * invCell) | 0;
      const cy = Math.floor(py * invCell) | 0;
      cellX[i] = cx;
      cellY[i] = cy;
      const b = cellBucket(cx, cy, mask);
      bucketOf[i] = b;
      bucketStart[b + 1]++;
    }
    const buckets = mask + 1;
    for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b];
    for (let b = 0; b < buckets; b++) fill[b] = bucketStart[b];
    for (let i = 0; i < count; i++) {
      if (indexed[i] === 0) continue;
      sorted[fill[bucketOf[i]]++] = i;
    }
  }

  /**
   * Writes into `out` the indices of all points within distance r of (qx, qy) (boundary
   * included), in the deterministic order described above; returns how many there are. When
   * that is more than `out.length`, only the first `out.length` are written: compare the result
   * with `out.length` to detect it.
   */
  queryRadius(qx: number, qy: number, r: number, out: Int32Array): number {
    if (!(r >= 0) || !Number.isFinite(qx) || !Number.isFinite(qy)) return 0;
    const { xs, ys, invCell } = this;
    const r2 = r * r;
    const cap = out.length;
    let n = 0;
    // The window is widened by a relative hair so that a point the distance test accepts
    // through rounding (|dx| a few ulps above r, or dx² underflowing to 0) is never outside it.
    const slackX = 1e-9 * (Math.abs(qx) + r) + 1e-150;
    const slackY = 1e-9 * (Math.abs(qy) + r) + 1e-150;
    const x0 = Math.floor((qx - r - slackX) * invCell);
    const x1 = Math.floor((qx + r + slackX) * invCell);
    const y0 = Math.floor((qy - r - slackY) * invCell);
    const y1 = Math.floor((qy + r + slackY) * invCell);
    const windowCells = (x1 - x0 + 1) * (y1 - y0 + 1);
    // depends on the point count only (not on the bucket table), so the order is a function of the input
    if (!(windowCells <= 2 * this.count + 64)) {
      // radius far beyond the cell size: a scan of all points is cheaper than the window
      const { indexed } = this;
      for (let i = 0; i < this.count; i++) {
        if (indexed[i] === 0) continue;
        const dx = xs[i] - qx;
        const dy = ys[i] - qy;
        if (dx * dx + dy * dy <= r2) {
          if (n < cap) out[n] = i;
          n++;
        }
      }
      return n;
    }
    const { cellX, cellY, bucketStart, sorted, mask } = this;
    for (let cyf = y0; cyf <= y1; cyf++) {
      const cy = cyf | 0;
      for (let cxf = x0; cxf <= x1; cxf++) {
        const cx = cxf | 0;
        const b = cellBucket(cx, cy, mask);
        const end = bucketStart[b + 1];
        for (let k = bucketStart[b]; k < end; k++) {
          const i = sorted[k];
          if (cellX[i] !== cx || cellY[i] !== cy) continue; // another cell sharing the bucket
          const dx = xs[i] - qx;
          const dy = ys[i] - qy;
          if (dx * dx + dy * dy <= r2) {
            if (n < cap) out[n] = i;
            n++;
          }
        }
      }
    }
    return n;
  }
}
