/**
 * A junction's fixed-time signal program (network.json `signals`) read at a time: where in the
 * cycle it is, which interval and phase that is, and how long the interval still lasts. The
 * engine's rule (engine/road/signals.ts): cycle time = (t − offset) mod cycle; interval k runs
 * from starts[k] to starts[k+1] (the last to the cycle's end). A phase is its green interval and
 * the change intervals (yellow, all red) that follow it until the next green.
 */
import type { NetworkJson } from './network.js';

export type SignalProgram = NetworkJson['signals'][number];

export interface ProgramState {
  /** seconds into the cycle */
  cycleTime: number;
  interval: number;
  /** the phase's name, or null when the program has more green intervals than named phases */
  phase: string | null;
  /** index of the phase, -1 before the first green of the cycle */
  phaseIndex: number;
  /** 'green' in the phase's green, 'yellow' or 'all red' in its change intervals */
  part: 'green' | 'yellow' | 'all red';
  /** seconds until the interval ends */
  left: number;
  /** the interval's state string, one letter per connection */
  states: string;
}

const hasGreen = (s: string) => /[Gg]/.test(s);

/** The phase index of each interval: a new phase starts at each interval with a green after one without, or with another green set. */
export function intervalPhases(p: SignalProgram): number[] {
  const out: number[] = [];
  let phase = -1;
  p.states.forEach((s, k) => {
    const prev = k > 0 ? p.states[k - 1] : null;
    if (hasGreen(s) && (prev === null || !hasGreen(prev) || greenSet(prev) !== greenSet(s))) phase++;
    out.push(phase);
  });
  // intervals before the first green of the cycle belong to the last phase (its change wraps around)
  const last = Math.max(0, phase);
  return out.map((x) => (x < 0 ? last : x));
}

const greenSet = (s: string) => s.replace(/[^Gg]/g, 'r').replace(/g/g, 'G');

export function programAt(p: SignalProgram, t: number): ProgramState {
  const cycleTime = (((t - p.offset) % p.cycle) + p.cycle) % p.cycle;
  let k = 0;
  while (k + 1 < p.starts.length && p.starts[k + 1] <= cycleTime) k++;
  const end = k + 1 < p.starts.length ? p.starts[k + 1] : p.cycle;
  const phases = intervalPhases(p);
  const s = p.states[k];
  const part = hasGreen(s) ? 'green' : /y/.test(s) ? 'yellow' : 'all red';
  const phaseIndex = phases[k];
  return { cycleTime, interval: k, phase: p.phases[phaseIndex]?.name ?? null, phaseIndex, part, left: end - cycleTime, states: s };
}
