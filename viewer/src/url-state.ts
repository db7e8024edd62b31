/**
 * What the page shows, in the URL's hash so that a view can be shared and is back on reload:
 * the time, the camera (mode, point looked at, distance, and in orbit mode its angles), the
 * selection, the layers that differ from their defaults and the edge measure.
 *   #t=912.5&cam=map,-120.5,40,830&sel=v:123&layers=+orders,-labels&roads=meanSpeed
 * Selections: v:<trace id>, j:<junction>, e:<edge>, rsu|hub|hazard|dronePort:<id>.
 */

export interface CameraState {
  mode: 'map' | 'orbit';
  /** point looked at, simulation metres */
  x: number;
  y: number;
  /** distance from it, m */
  dist: number;
  /** orbit only: azimuth and polar angle, radians */
  azimuth?: number;
  polar?: number;
}

export type Selection = { kind: 'vehicle'; id: number } | { kind: 'junction' | 'edge'; id: string } | { kind: 'site'; site: string; id: string };

export interface UrlState {
  t?: number;
  cam?: CameraState;
  sel?: Selection;
  layers?: string;
  roads?: string;
}

const SITE_KINDS = ['rsu', 'hub', 'hazard', 'dronePort'];
const r2 = (v: number) => String(Math.round(v * 100) / 100);

export function encodeState(s: UrlState): string {
  const p: string[] = [];
  if (s.t !== undefined) p.push(`t=${r2(s.t)}`);
  if (s.cam) {
    const c = s.cam;
    const parts = [c.mode, r2(c.x), r2(c.y), r2(c.dist)];
    if (c.mode === 'orbit') parts.push((c.azimuth ?? 0).toFixed(4), (c.polar ?? 0).toFixed(4));
    p.push(`cam=${parts.join(',')}`);
  }
  if (s.sel) {
    const v = s.sel;
    const text = v.kind === 'vehicle' ? `v:${v.id}` : v.kind === 'site' ? `${v.site}:${v.id}` : `${v.kind === 'junction' ? 'j' : 'e'}:${v.id}`;
    p.push(`sel=${encodeURIComponent(text)}`);
  }
  if (s.layers) p.push(`layers=${encodeURIComponent(s.layers)}`);
  if (s.roads && s.roads !== 'none') p.push(`roads=${encodeURIComponent(s.roads)}`);
  return p.join('&');
}

/** The inverse of encodeState; what does not parse is left out (an old or hand-edited link still opens). */
export function decodeState(hash: string): UrlState {
  const out: UrlState = {};
  for (const kv of hash.replace(/^#/, '').split('&')) {
    const i = kv.indexOf('=');
    if (i < 0) continue;
    const k = kv.slice(0, i);
    let v: string;
    try {
      v = decodeURIComponent(kv.slice(i + 1));
    } catch {
      continue;
    }
    if (k === 't' && v !== '' && Number.isFinite(Number(v))) out.t = Number(v);
    else if (k === 'cam') {
      const [mode, ...nums] = v.split(',');
      const n = nums.map(Number);
      if ((mode === 'map' || mode === 'orbit') && n.length >= 3 && n.slice(0, 3).every(Number.isFinite) && n[2] > 0) {
        out.cam = { mode, x: n[0], y: n[1], dist: n[2] };
        if (mode === 'orbit' && n.length >= 5 && Number.isFinite(n[3]) && Number.isFinite(n[4])) {
          out.cam.azimuth = n[3];
          out.cam.polar = n[4];
        }
      }
    } else if (k === 'sel') {
      const j = v.indexOf(':');
      const kind = v.slice(0, j);
      const id = v.slice(j + 1);
      if (j <= 0 || id === '') continue;
      if (kind === 'v' && /^\d+$/.test(id)) out.sel = { kind: 'vehicle', id: Number(id) };
      else if (kind === 'j') out.sel = { kind: 'junction', id };
      else if (kind === 'e') out.sel = { kind: 'edge', id };
      else if (SITE_KINDS.includes(kind)) out.sel = { kind: 'site', site: kind, id };
    } else if (k === 'layers') out.layers = v;
    else if (k === 'roads') out.roads = v;
  }
  return out;
}
