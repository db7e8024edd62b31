/**
 * Sequential colour scales: a value between two bounds to a colour, by piecewise-linear
 * interpolation between stops in sRGB. The vehicles' speed scale is plasma-like (matplotlib's
 * plasma, sampled at ninths): dark indigo when stopped through magenta and orange to yellow at
 * full speed, lightness rising all the way and no hue near a signal's pure red or green, so a
 * vehicle's colour never reads as a signal state. Edge measures (edges.csv) use a separate
 * sand-to-brown scale so that a coloured road is not mistaken for a vehicle.
 */

export type Rgb = { r: number; g: number; b: number };

/** A scale: colours (0xRRGGBB) evenly spaced from its low end to its high end. */
export type Scale = readonly number[];

export const SPEED_SCALE: Scale = [0x0d0887, 0x4c02a1, 0x7e03a8, 0xa92395, 0xcc4778, 0xe56b5d, 0xf89441, 0xfdc328, 0xf0f921];

/** Light sand (low) to dark brown (high), for edge measures. */
export const EDGE_SCALE: Scale = [0xf6e8c3, 0xdfc27d, 0xbf812d, 0x8c510a, 0x543005];

/** Speeds at and above this (m/s) get the top colour of the speed scale. */
export const SPEED_SCALE_MAX = 20;

/** Writes the colour at fraction f (clamped to 0..1; NaN gives the low end) of `scale` into `out`, channels 0..1. */
export function sample(scale: Scale, f: number, out: Rgb): Rgb {
  const x = f > 0 ? Math.min(1, f) * (scale.length - 1) : 0;
  const i = Math.min(scale.length - 2, Math.floor(x));
  const u = x - i;
  const a = scale[i];
  const b = scale[i + 1];
  out.r = (((a >> 16) & 255) * (1 - u) + ((b >> 16) & 255) * u) / 255;
  out.g = (((a >> 8) & 255) * (1 - u) + ((b >> 8) & 255) * u) / 255;
  out.b = ((a & 255) * (1 - u) + (b & 255) * u) / 255;
  return out;
}

/** A vehicle's colour at speed v (m/s). */
export function speedColour(v: number, out: Rgb, vmax = SPEED_SCALE_MAX): Rgb {
  return sample(SPEED_SCALE, v / vmax, out);
}

/** WCAG relative luminance of a colour with channels 0..1. */
export function luminance(c: Rgb): number {
  const lin = (x: number) => (x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/** CSS colour of a 0..1 colour, or of a 0xRRGGBB number. */
export function css(c: Rgb | number): string {
  if (typeof c === 'number') return `#${c.toString(16).padStart(6, '0')}`;
  const h = (x: number) => Math.round(Math.max(0, Math.min(1, x)) * 255);
  return `rgb(${h(c.r)},${h(c.g)},${h(c.b)})`;
}

/** A CSS linear-gradient of a scale, left (low) to right (high). */
export function gradient(scale: Scale): string {
  return `linear-gradient(to right, ${scale.map((c, i) => `${css(c)} ${((i / (scale.length - 1)) * 100).toFixed(1)}%`).join(', ')})`;
}
