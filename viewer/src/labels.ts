/**
 * Map labels as an HTML overlay over the canvas, so they keep their size and stay sharp at any
 * zoom: street names (edge names, or edge ids where a network has none; deduplicated per street
 * by label-thinning.ts), junction ids, RSUs, hubs and drone ports (docks). Positions are
 * recomputed only when the camera moved; the overlay never takes a click (pointer-events: none).
 */
import type { Stage } from './scene.js';
import type { NetworkJson } from './network.js';
import type { EntitiesJson } from './entities.js';
import { pointAlong } from './road-geometry.js';
import { LABEL_HEIGHT, labelWidth, thinLabels, type LabelCandidate } from './label-thinning.js';

export type LabelKind = 'street' | 'junction' | 'rsu' | 'hub' | 'dock';

interface Place {
  text: string;
  kind: LabelKind;
  x: number;
  y: number;
  priority: number;
}

const PRIORITY: Record<LabelKind, number> = { rsu: 50, hub: 45, dock: 40, junction: 30, street: 10 };

/** Every label the map could show, in simulation coordinates. */
export function labelPlaces(net: NetworkJson, ent: EntitiesJson | null): Place[] {
  const out: Place[] = [];
  const longest = Math.max(1, ...net.edges.map((e) => e.length));
  for (const e of net.edges) {
    if (e.shape.length < 2) continue;
    const [x, y] = pointAlong(e.shape, e.length / 2);
    out.push({ text: e.name ?? e.id, kind: 'street', x, y, priority: PRIORITY.street + e.length / longest });
  }
  const degree = new Map<string, number>();
  for (const e of net.edges) for (const n of [e.from, e.to]) degree.set(n, (degree.get(n) ?? 0) + 1);
  for (const n of net.nodes) if (n.control === 'signal' || (degree.get(n.id) ?? 0) > 2) out.push({ text: n.id, kind: 'junction', x: n.x, y: n.y, priority: PRIORITY.junction + (n.control === 'signal' ? 1 : 0) });
  for (const r of ent?.rsus ?? []) out.push({ text: r.id, kind: 'rsu', x: r.x, y: r.y, priority: PRIORITY.rsu });
  for (const h of ent?.hubs ?? []) out.push({ text: h.id, kind: 'hub', x: h.x, y: h.y, priority: PRIORITY.hub });
  for (const p of ent?.dronePorts ?? []) out.push({ text: p.id, kind: 'dock', x: p.x, y: p.y, priority: PRIORITY.dock });
  return out;
}

/** Pixels a label sits off its point (streets on it, the others beside their symbol). */
const OFFSET: Record<LabelKind, [number, number]> = { street: [0, 0], junction: [0, -14], rsu: [0, 16], hub: [0, -16], dock: [0, 14] };

export class LabelLayer {
  private readonly box: HTMLElement;
  private readonly places: Place[];
  private readonly pool: HTMLElement[] = [];
  private lastKey = '';
  visible = true;
  /** texts shown now (the debug object reports them) */
  shown: { text: string; kind: LabelKind }[] = [];

  constructor(
    private readonly stage: Stage,
    net: NetworkJson,
    ent: EntitiesJson | null,
  ) {
    this.places = labelPlaces(net, ent);
    this.box = document.getElementById('labels')!;
  }

  /** Places the labels for the current camera (does nothing when neither it nor the canvas size changed). */
  update(force = false): void {
    const cam = this.stage.camera;
    const w = this.stage.canvas.clientWidth;
    const h = this.stage.canvas.clientHeight;
    const panel = document.getElementById('map-panel')?.offsetHeight ?? 0;
    const key = `${this.visible}|${w}x${h}|${panel}|${cam.matrixWorld.elements.map((v) => v.toFixed(3)).join(',')}`;
    if (key === this.lastKey && !force) return;
    this.lastKey = key;
    this.box.hidden = !this.visible;
    if (!this.visible) {
      this.shown = [];
      return;
    }
    const cands: LabelCandidate[] = this.places.map((p) => {
      const s = this.stage.toScreen(p.x, p.y, 0);
      const [dx, dy] = OFFSET[p.kind];
      return { text: p.text, x: s.x + dx, y: s.y + dy, w: labelWidth(p.text), h: LABEL_HEIGHT, priority: p.priority };
    });
    // nothing under the map panel (unless it is folded away)
    const c0 = this.stage.canvas.getBoundingClientRect();
    const p = document.getElementById('map-panel')?.getBoundingClientRect();
    const blocked = p && p.width > 0 ? [{ left: p.left - c0.left, top: p.top - c0.top, right: p.right - c0.left, bottom: p.bottom - c0.top }] : [];
    const keep = thinLabels(cands, { width: w, height: h, blocked });
    while (this.pool.length < keep.length) {
      const el = document.createElement('span');
      el.className = 'label';
      this.box.appendChild(el);
      this.pool.push(el);
    }
    this.shown = [];
    keep.forEach((i, k) => {
      const el = this.pool[k];
      const c = cands[i];
      el.textContent = c.text;
      el.dataset.kind = this.places[i].kind;
      el.style.transform = `translate(${(c.x - c.w / 2).toFixed(1)}px, ${(c.y - c.h / 2).toFixed(1)}px)`;
      el.hidden = false;
      this.shown.push({ text: c.text, kind: this.places[i].kind });
    });
    for (let k = keep.length; k < this.pool.length; k++) this.pool[k].hidden = true;
  }

  /** The labels shown, for drawing them into an exported picture: text, kind and box (CSS px). */
  boxes(): { text: string; kind: LabelKind; x: number; y: number }[] {
    const out: { text: string; kind: LabelKind; x: number; y: number }[] = [];
    if (!this.visible) return out;
    for (const el of this.pool) {
      if (el.hidden) continue;
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\)/.exec(el.style.transform);
      if (m) out.push({ text: el.textContent ?? '', kind: el.dataset.kind as LabelKind, x: Number(m[1]), y: Number(m[2]) });
    }
    return out;
  }
}
