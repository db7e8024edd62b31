/**
 * The geometry of each class as drawn: the class is told by shape and size, never by colour
 * (colour is speed). Every body sits on a dark rim plate a little larger than itself, so that
 * from above each vehicle has a dark outline whatever its speed colour and the road under it.
 * A bus is one long body; a truck a cab and a trailer with a gap; a van has a dark windscreen
 * band; an emergency vehicle a dark cross on its roof; a drone is a flat cross; a robot a small
 * box. Vertex colours are shades (1 body, dark rim) that the instance's speed colour multiplies.
 * Positions: x along the heading (the trace gives the front bumper, at x = 0), y up, z across.
 */
import * as THREE from 'three';
import type { ClassLook } from './classes.js';

/** shade of the rim and of dark marks: multiplied by the speed colour, near black */
export const RIM_SHADE = 0.1;
const RIM = 0.35;

class Parts {
  readonly pos: number[] = [];
  readonly nor: number[] = [];
  readonly col: number[] = [];

  /**
   * A box from x0 to x1 along the heading, width w across, from height y0 to y1, without its
   * bottom (never seen); `topOnly` keeps just its top face (a plate seen from above). Every
   * triangle counts: 20,000 cars are drawn in software WebGL in the tests.
   */
  box(x0: number, x1: number, w: number, y0: number, y1: number, shade: number, topOnly = false): void {
    const g = new THREE.BoxGeometry(x1 - x0, y1 - y0, w).toNonIndexed();
    g.translate((x0 + x1) / 2, (y0 + y1) / 2, 0);
    const p = g.getAttribute('position').array as Float32Array;
    const n = g.getAttribute('normal').array as Float32Array;
    // BoxGeometry's faces, 6 vertices each: +x, −x, +y, −y, +z, −z
    for (let f = 0; f < 6; f++) {
      if (f === 3 || (topOnly && f !== 2)) continue;
      for (let i = f * 18; i < f * 18 + 18; i++) {
        this.pos.push(p[i]);
        this.nor.push(n[i]);
        this.col.push(shade);
      }
    }
  }

  geometry(): THREE.BufferGeometry {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.Float32BufferAttribute(this.pos, 3));
    g.setAttribute('normal', new THREE.Float32BufferAttribute(this.nor, 3));
    g.setAttribute('color', new THREE.Float32BufferAttribute(this.col, 3));
    g.computeBoundingSphere();
    return g;
  }
}

export function vehicleGeometry(look: ClassLook): THREE.BufferGeometry {
  const p = new Parts();
  const { length: L, width: W, height: H } = look;
  if (look.shape === 'drone') {
    // two arms, centred on the position (a drone's position is its centre)
    p.box(-L / 2, L / 2, 0.22, -H / 2, H / 2, 1);
    p.box(-0.11, 0.11, W, -H / 2, H / 2, 1);
    p.box(-L / 2 - 0.15, L / 2 + 0.15, 0.5, -H / 2 - 0.02, -H / 2 + 0.04, RIM_SHADE, true);
    p.box(-0.25, 0.25, W + 0.3, -H / 2 - 0.02, -H / 2 + 0.04, RIM_SHADE, true);
    return p.geometry();
  }
  if (look.shape === 'generic') {
    const g = new THREE.OctahedronGeometry(L / 2).toNonIndexed();
    g.translate(0, L / 2, 0);
    g.setAttribute('color', new THREE.Float32BufferAttribute(new Float32Array(g.getAttribute('position').count * 3).fill(1), 3));
    return g;
  }
  // the rim: a thin dark plate under the body, RIM larger all round
  p.box(-L - RIM, RIM, W + 2 * RIM, 0, 0.12, RIM_SHADE, true);
  if (look.name === 'truck') {
    const cab = 2.3;
    p.box(-cab, 0, W, 0.12, H * 0.85, 1);
    p.box(-L, -cab - 0.5, W, 0.12, H, 1);
  } else {
    p.box(-L, 0, W, 0.12, H, 1);
    const top = H + 0.02;
    if (look.name === 'van') p.box(-1.3, -0.7, W * 0.9, H, top, RIM_SHADE, true);
    if (look.name === 'emergency') {
      p.box(-L * 0.5 - 0.35, -L * 0.5 + 0.35, W * 0.85, H, top, RIM_SHADE, true);
      p.box(-L * 0.5 - W * 0.42, -L * 0.5 + W * 0.42, 0.7, H, top, RIM_SHADE, true);
    }
  }
  const g = p.geometry();
  // a robot's position is its centre
  if (look.shape === 'robot') g.translate(L / 2, 0, 0);
  return g;
}

/** A small SVG silhouette of a class seen from above, pointing right (for the legend). */
export function silhouette(look: ClassLook, fill = '#e56b5d'): string {
  const s = 3; // px per metre
  const rim = '#1d232b';
  const L = look.length * s;
  const W = look.width * s;
  const w = Math.max(L, 14) + 4;
  const h = 16;
  const y = (h - W) / 2;
  let body = `<rect x="2" y="${y}" width="${L}" height="${W}" fill="${fill}" stroke="${rim}" stroke-width="1.2"/>`;
  if (look.shape === 'drone') body = `<path d="M${w / 2 - 6} ${h / 2}h12M${w / 2} ${h / 2 - 6}v12" stroke="${rim}" stroke-width="4"/><path d="M${w / 2 - 6} ${h / 2}h12M${w / 2} ${h / 2 - 6}v12" stroke="${fill}" stroke-width="2"/>`;
  else if (look.name === 'truck') body = `<rect x="2" y="${y}" width="${L - 2.8 * s}" height="${W}" fill="${fill}" stroke="${rim}" stroke-width="1.2"/><rect x="${2 + L - 2.3 * s}" y="${y}" width="${2.3 * s}" height="${W}" fill="${fill}" stroke="${rim}" stroke-width="1.2"/>`;
  else if (look.name === 'van') body += `<rect x="${2 + L - 1.3 * s}" y="${y}" width="${0.6 * s}" height="${W}" fill="${rim}"/>`;
  else if (look.name === 'emergency') body += `<path d="M${2 + L / 2 - 3} ${h / 2}h6M${2 + L / 2} ${h / 2 - 3}v6" stroke="${rim}" stroke-width="1.6"/>`;
  return `<svg class="shape" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" aria-hidden="true">${body}</svg>`;
}
