/**
 * Citizens' hotline reports (the 12345 hotline; docs/perception.md, "Citizens"): whether anyone
 * reports an event is a draw against the kind's report share (a report of nothing — a false
 * event — is always made: that is what it is); the delay from occurrence to the report is
 * log-normal with the kind's median and σ, delay = median · exp(σ·Z); the place reported is off by
 * a normal error of the given standard deviation in x and in y. All counter-based, keyed by the
 * event's index.
 */
import { rand, randNormal } from '../core/rng.js';

export const PURPOSE_REPORT = 0x7e11;
export const PURPOSE_REPORT_DELAY = 0x7e12;
export const PURPOSE_REPORT_X = 0x7e13;
export const PURPOSE_REPORT_Y = 0x7e14;

export interface Report {
  /** s after the event occurred, or −1: nobody reports it */
  delay: number;
  x: number;
  y: number;
}

export function drawReport(seed: number, event: number, real: boolean, share: number, median: number, sigma: number, x: number, y: number, error: number): Report {
  if (real && !(rand(seed, 0, event, PURPOSE_REPORT) < share)) return { delay: -1, x, y };
  const delay = median * Math.exp(sigma * randNormal(seed, 0, event, PURPOSE_REPORT_DELAY));
  return { delay, x: x + error * randNormal(seed, 0, event, PURPOSE_REPORT_X), y: y + error * randNormal(seed, 0, event, PURPOSE_REPORT_Y) };
}
