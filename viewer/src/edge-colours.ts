/**
 * Roads coloured by a measure of edges.csv at the current time: one mesh of every lane's surface
 * with a colour per vertex, rewritten when the interval or the measure changes. The scale is
 * EDGE_SCALE (sand to brown), dark meaning worse: slow for meanSpeed, high for the others. An
 * edge with no value in the interval (no vehicle, no speed) keeps the road's grey.
 */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import type { NetworkJson } from './network.js';
import type { IntervalTable } from './interval-table.js';
import { ribbon } from './road-geometry.js';
import { EDGE_SCALE, sample } from './colour-scale.js';
import { ROAD } from './palette.js';

/** edges.csv columns a user can colour the roads by */
export const EDGE_MEASURES = ['meanSpeed', 'density', 'timeLoss', 'occupancy', 'waitingTime', 'flow'];

/** Fraction along EDGE_SCALE of value v between lo and hi (dark = worse: inverted for speed). */
export function edgeFraction(measure: string, v: number, lo: number, hi: number): number {
  const f = hi > lo ? (v - lo) / (hi - lo) : 0.5;
  return measure === 'meanSpeed' ? 1 - f : f;
}

export class EdgeColourLayer {
  readonly mesh: THREE.Mesh;
  private readonly spans = new Map<string, [number, number]>();
  private readonly colours: Float32Array;
  private key = '';
  /** edges coloured from a value at the last update */
  coloured = 0;
  range: [number, number] | null = null;

  constructor(stage: Stage, net: NetworkJson) {
    const tris: number[] = [];
    const byEdge = new Map<string, NetworkJson['lanes']>();
    for (const l of net.lanes) byEdge.set(l.edge, [...(byEdge.get(l.edge) ?? []), l]);
    // each edge's lanes one after the other: the edge is one span of vertices
    for (const [edge, lanes] of byEdge) {
      const from = tris.length / 2;
      for (const l of lanes) ribbon(l.shape, net.laneWidth / 2, net.laneWidth / 2, tris);
      this.spans.set(edge, [from, tris.length / 2 - from]);
    }
    const n = tris.length / 2;
    const pos = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      pos[i * 3] = stage.sx(tris[i * 2]);
      pos[i * 3 + 1] = 0.02;
      pos[i * 3 + 2] = stage.sz(tris[i * 2 + 1]);
    }
    this.colours = new Float32Array(n * 3);
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
    g.setAttribute('color', new THREE.BufferAttribute(this.colours, 3));
    this.mesh = new THREE.Mesh(g, new THREE.MeshBasicMaterial({ vertexColors: true, side: THREE.DoubleSide }));
    this.mesh.name = 'edge colours';
    this.mesh.visible = false;
    stage.scene.add(this.mesh);
  }

  /** Colours the roads by `measure` at t (measure 'none' or no table: hidden). */
  update(table: IntervalTable | null, measure: string, t: number): void {
    const iv = table?.intervalAt(t) ?? null;
    const key = `${measure}|${iv?.begin}`;
    if (key === this.key) return;
    this.key = key;
    this.mesh.visible = !!table && measure !== 'none' && EDGE_MEASURES.includes(measure);
    this.coloured = 0;
    if (!this.mesh.visible || !table) {
      this.range = null;
      return;
    }
    const all = table.values(measure);
    const lo = Math.min(...all);
    const hi = Math.max(...all);
    this.range = all.length ? [lo, hi] : null;
    const c = { r: 0, g: 0, b: 0 };
    const grey = new THREE.Color(ROAD);
    for (const [edge, [from, count]] of this.spans) {
      const row = table.at(edge, t)[0];
      const cell = row?.cells[measure];
      const v = cell === undefined || cell === '' ? NaN : Number(cell);
      if (Number.isFinite(v)) {
        sample(EDGE_SCALE, edgeFraction(measure, v, lo, hi), c);
        this.coloured++;
      } else {
        c.r = grey.r;
        c.g = grey.g;
        c.b = grey.b;
      }
      for (let i = from; i < from + count; i++) {
        this.colours[i * 3] = c.r;
        this.colours[i * 3 + 1] = c.g;
        this.colours[i * 3 + 2] = c.b;
      }
    }
    (this.mesh.geometry.getAttribute('color') as THREE.BufferAttribute).needsUpdate = true;
  }
}
