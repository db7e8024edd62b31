/**
 * A heat map of where V2X warnings were received: every `v2x.warning` event of events.ndjson
 * carries the position of the vehicle it warned (engine/v2x/system.ts), so the map counts them on
 * a grid of 25 m cells, from the start of the run up to the time shown. Each warning adds 1 to its
 * cell and a half to the four cells beside it, so a stretch of road warned along reads as a band,
 * and the texture's linear filtering smooths the cells' edges. Colours run from pale to deep amber
 * (the warnings' colour, palette.ts) with rising opacity; the scale's top is the largest heat of
 * the whole run, so a place's colour only deepens while playing. One textured plane: one draw call.
 *
 * Zoomed out, a 25 m cell is under a pixel, and a texture sampled between its texels drops the
 * few warned cells of a road (the map looked empty at full zoom). The texture is then the grid
 * pooled in blocks of 2, 4, … cells, each block as hot as its hottest cell, so that a texel stays
 * at least POOL_PIXELS pixels wide on screen: the same places, as strong as close up, and large
 * enough to see at a glance (the legend says so).
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { WarningEvent } from './pulses.js';
import { sample, type Scale } from './colour-scale.js';

/** pale to deep amber */
export const HEAT_SCALE: Scale = [0xffd36b, 0xffbb33, 0xffab00, 0xe07b00, 0x9a4f00];
export const HEAT_CELL_M = 25;
/** The least screen width of a drawn texel, px. */
export const POOL_PIXELS = 8;

/** The pooling factor (a power of two, at most 64) that keeps a texel of `cell` m at least POOL_PIXELS wide at `mpp` metres per pixel. */
export function poolFactor(cell: number, mpp: number): number {
  let p = 1;
  while (p < 64 && (p * cell) / mpp < POOL_PIXELS) p *= 2;
  return p;
}

/** The counting part, without drawing: warnings applied in time order onto a grid of cells. */
export class HeatGrid {
  readonly nx: number;
  readonly ny: number;
  readonly heat: Float32Array;
  /** warnings applied (those with time ≤ the last time asked) */
  applied = 0;
  /** the largest heat of any cell with every warning known applied: the whole run's, or in live mode those received so far */
  maxHeat = 0;
  /** every warning known, in time order */
  readonly warnings: WarningEvent[] = [];
  /** the heat with every warning known applied (maxHeat's grid) */
  private readonly total: Float32Array;

  constructor(
    warnings: readonly WarningEvent[],
    readonly bbox: { minX: number; minY: number; maxX: number; maxY: number },
    readonly cell = HEAT_CELL_M,
  ) {
    this.nx = Math.max(1, Math.ceil((bbox.maxX - bbox.minX) / cell));
    this.ny = Math.max(1, Math.ceil((bbox.maxY - bbox.minY) / cell));
    this.heat = new Float32Array(this.nx * this.ny);
    this.total = new Float32Array(this.nx * this.ny);
    this.append(warnings);
  }

  /**
   * Adds warnings later than every one known (live mode: as they arrive); the scale's top grows
   * with them. Returns whether it did.
   */
  append(list: readonly WarningEvent[]): boolean {
    const max = this.maxHeat;
    for (const w of list) {
      this.warnings.push(w);
      const c = this.addTo(this.total, w);
      if (c >= 0) this.maxHeat = Math.max(this.maxHeat, this.total[c], c > 0 ? this.total[c - 1] : 0, c + 1 < this.total.length ? this.total[c + 1] : 0, c >= this.nx ? this.total[c - this.nx] : 0, c + this.nx < this.total.length ? this.total[c + this.nx] : 0);
    }
    return this.maxHeat !== max;
  }

  /** The cell of a point (-1: outside the box). */
  cellOf(x: number, y: number): number {
    const i = Math.floor((x - this.bbox.minX) / this.cell);
    const j = Math.floor((y - this.bbox.minY) / this.cell);
    return i < 0 || j < 0 || i >= this.nx || j >= this.ny ? -1 : j * this.nx + i;
  }

  /** Adds one warning to a grid: 1 in its cell, ½ in the four beside. Returns its cell (−1: outside). */
  private addTo(grid: Float32Array, w: WarningEvent): number {
    const c = this.cellOf(w.x, w.y);
    if (c < 0) return -1;
    const i = c % this.nx;
    const j = (c - i) / this.nx;
    grid[c] += 1;
    if (i > 0) grid[c - 1] += 0.5;
    if (i + 1 < this.nx) grid[c + 1] += 0.5;
    if (j > 0) grid[c - this.nx] += 0.5;
    if (j + 1 < this.ny) grid[c + this.nx] += 0.5;
    return c;
  }

  /** Brings the grid to the warnings with time ≤ t; returns whether it changed. */
  seek(t: number): boolean {
    const before = this.applied;
    let n = before;
    if (n > 0 && this.warnings[n - 1].time > t) {
      this.heat.fill(0);
      n = 0;
    }
    while (n < this.warnings.length && this.warnings[n].time <= t) this.addTo(this.heat, this.warnings[n++]);
    this.applied = n;
    return n !== before;
  }

  /**
   * The grid in blocks of p × p cells, each the largest heat in it (the blocks at the top and
   * right edges may hang over the grid): for drawing zoomed out, where a cell is under a pixel.
   */
  pooled(p: number): { nx: number; ny: number; heat: Float32Array } {
    if (p <= 1) return { nx: this.nx, ny: this.ny, heat: this.heat };
    const nx = Math.ceil(this.nx / p);
    const ny = Math.ceil(this.ny / p);
    const out = new Float32Array(nx * ny);
    for (let j = 0; j < this.ny; j++)
      for (let i = 0; i < this.nx; i++) {
        const h = this.heat[j * this.nx + i];
        const o = Math.floor(j / p) * nx + Math.floor(i / p);
        if (h > out[o]) out[o] = h;
      }
    return { nx, ny, heat: out };
  }

  /** Distinct cells holding a warning applied (not counting the spread to the cells beside). */
  cellsWarned(): number {
    const cells = new Set<number>();
    for (let k = 0; k < this.applied; k++) {
      const c = this.cellOf(this.warnings[k].x, this.warnings[k].y);
      if (c >= 0) cells.add(c);
    }
    return cells.size;
  }
}

export class WarningHeatLayer {
  readonly grid: HeatGrid;
  readonly mesh: THREE.Mesh;
  private texture: THREE.DataTexture | null = null;
  private pixels = new Uint8Array(0);
  private drawnFor = -1;
  /** the pooling factor the texture was last built at */
  pool = 0;

  constructor(
    private readonly stage: Stage,
    warnings: readonly WarningEvent[],
    private readonly bbox: { minX: number; minY: number; maxX: number; maxY: number },
  ) {
    this.grid = new HeatGrid(warnings, bbox);
    this.mesh = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), new THREE.MeshBasicMaterial({ transparent: true, depthWrite: false }));
    this.mesh.name = 'warning heat';
    this.mesh.renderOrder = 2;
    this.mesh.visible = false;
    this.setPool(1);
    stage.scene.add(this.mesh);
  }

  /** A texture of the grid pooled by p and a plane that covers its blocks. */
  private setPool(p: number): void {
    this.pool = p;
    const { nx, ny } = this.grid.pooled(p);
    const cell = this.grid.cell * p;
    this.pixels = new Uint8Array(nx * ny * 4);
    this.texture?.dispose();
    const tex = new THREE.DataTexture(this.pixels, nx, ny, THREE.RGBAFormat);
    tex.colorSpace = THREE.SRGBColorSpace; // the scale's colours are sRGB, as every colour of palette.ts
    tex.magFilter = THREE.LinearFilter;
    tex.minFilter = THREE.LinearFilter;
    tex.needsUpdate = true;
    this.texture = tex;
    (this.mesh.material as THREE.MeshBasicMaterial).map = tex;
    (this.mesh.material as THREE.MeshBasicMaterial).needsUpdate = true;
    const w = nx * cell;
    const h = ny * cell;
    const g = new THREE.PlaneGeometry(w, h);
    g.rotateX(-Math.PI / 2); // texture row 0 (minY) toward +z, which is south (stage.sz flips y)
    this.mesh.geometry.dispose();
    this.mesh.geometry = g;
    // above the road surfaces and markings, below the vehicles' roofs: looking down, traffic stays on top
    this.mesh.position.set(this.stage.sx(this.bbox.minX + w / 2), 0.3, this.stage.sz(this.bbox.minY + h / 2));
    this.drawnFor = -1;
  }

  setVisible(on: boolean): void {
    this.mesh.visible = on;
  }

  /** Warnings received later (live mode); the next update draws them. Returns whether the scale's top grew. */
  append(list: readonly WarningEvent[]): boolean {
    this.drawnFor = -1;
    return this.grid.append(list);
  }

  /** The heat up to t into the texture, when shown and changed, pooled for `mpp` metres per pixel (omitted: as last time). */
  update(t: number, mpp?: number): void {
    if (!this.mesh.visible) return;
    this.grid.seek(t);
    const p = mpp === undefined ? this.pool : poolFactor(this.grid.cell, mpp);
    if (p !== this.pool) this.setPool(p);
    if (this.grid.applied === this.drawnFor) return;
    this.drawnFor = this.grid.applied;
    const { maxHeat } = this.grid;
    const { heat } = this.grid.pooled(p);
    const c = { r: 0, g: 0, b: 0 };
    for (let k = 0; k < heat.length; k++) {
      const o = k * 4;
      if (heat[k] <= 0) {
        // the low colour, transparent: filtering toward an empty cell fades the colour, not to black
        this.pixels[o] = 0xff;
        this.pixels[o + 1] = 0xd3;
        this.pixels[o + 2] = 0x6b;
        this.pixels[o + 3] = 0;
        continue;
      }
      // square root: a few warnings are already visible beside the hottest place
      const f = Math.sqrt(heat[k] / maxHeat);
      sample(HEAT_SCALE, f, c);
      this.pixels[o] = Math.round(c.r * 255);
      this.pixels[o + 1] = Math.round(c.g * 255);
      this.pixels[o + 2] = Math.round(c.b * 255);
      this.pixels[o + 3] = Math.round((0.7 + 0.3 * f) * 255);
    }
    this.texture!.needsUpdate = true;
  }
}
