/**
 * Which map labels to show: candidates in screen space with a priority are taken greedily, most
 * important first, and a label is left out when its box would overlap one already taken, or when
 * the same text is already shown within `repeatPx` (a street named once per stretch of screen,
 * not on every one of its edges), or when it would be under a panel drawn over the map. Zooming in spreads the candidates apart, so more are shown.
 */

export interface LabelCandidate {
  text: string;
  /** centre, CSS pixels */
  x: number;
  y: number;
  /** box size, CSS pixels */
  w: number;
  h: number;
  /** higher first */
  priority: number;
}

export interface ThinOptions {
  width: number;
  height: number;
  /** gap kept between boxes, px */
  pad?: number;
  /** the same text is not shown twice closer than this, px */
  repeatPx?: number;
  /** screen boxes no label may touch (panels over the map), CSS px */
  blocked?: { left: number; top: number; right: number; bottom: number }[];
}

/** Indices of the candidates to show. */
export function thinLabels(c: readonly LabelCandidate[], o: ThinOptions): number[] {
  const pad = o.pad ?? 4;
  const repeat = o.repeatPx ?? 320;
  const order = c.map((_, i) => i).sort((a, b) => c[b].priority - c[a].priority || a - b);
  const taken: number[] = [];
  for (const i of order) {
    const a = c[i];
    if (a.x + a.w / 2 < 0 || a.x - a.w / 2 > o.width || a.y + a.h / 2 < 0 || a.y - a.h / 2 > o.height) continue;
    if (o.blocked?.some((b) => a.x + a.w / 2 > b.left && a.x - a.w / 2 < b.right && a.y + a.h / 2 > b.top && a.y - a.h / 2 < b.bottom)) continue;
    let ok = true;
    for (const j of taken) {
      const b = c[j];
      if (Math.abs(a.x - b.x) * 2 < a.w + b.w + 2 * pad && Math.abs(a.y - b.y) * 2 < a.h + b.h + 2 * pad) ok = false;
      else if (a.text === b.text && Math.hypot(a.x - b.x, a.y - b.y) < repeat) ok = false;
      if (!ok) break;
    }
    if (ok) taken.push(i);
  }
  return taken;
}

/** A label box's width for `text` at about 11 px sans-serif (measured: 6.3 px a character, plus padding). */
export const labelWidth = (text: string): number => Math.ceil(text.length * 6.3) + 10;
export const LABEL_HEIGHT = 16;
