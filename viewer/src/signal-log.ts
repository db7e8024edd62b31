/**
 * What the signals did, from the run's signals.csv (`time,junction,program,phase,state`: every
 * switch, first each program's state at 0 s; docs/run-directory.md): per junction its switches in
 * time order, so the junction panel can say which interval was in force at any time, since when,
 * until when, and the switches before it. Under an actuated, adaptive or max-pressure controller
 * (or one held through the control API) the fixed-time program's clock says nothing about that:
 * only the record does.
 */
import { parseCsv } from './csv.js';

export interface SignalSwitch {
  time: number;
  /** `0`: the node's own program; `external`: held by a controller of the control API */
  program: string;
  /** the index of the interval in force in that program */
  phase: number;
  /** one letter per connection of the program (G g y r) */
  state: string;
}

export interface RecordedSignal {
  /** the switch in force at the time asked, its index among the junction's switches */
  current: SignalSwitch;
  index: number;
  /** the next switch after it, or null when none is recorded (the run ended first) */
  next: SignalSwitch | null;
  /** up to `recent` switches before the current one, newest first */
  before: SignalSwitch[];
}

export class SignalLog {
  private readonly byJunction = new Map<string, SignalSwitch[]>();

  constructor(text: string) {
    const t = parseCsv(text);
    const col = (name: string) => {
      const i = t.header.indexOf(name);
      if (i < 0) throw new Error(`signals.csv: line 1: no column ${name}`);
      return i;
    };
    const [cTime, cJunction, cProgram, cPhase, cState] = [col('time'), col('junction'), col('program'), col('phase'), col('state')];
    t.rows.forEach((r, k) => {
      const time = Number(r[cTime]);
      const phase = Number(r[cPhase]);
      if (r[cTime] === '' || !Number.isFinite(time)) throw new Error(`signals.csv: line ${k + 2}: time is not a number (${JSON.stringify(r[cTime])})`);
      if (r[cPhase] === '' || !Number.isInteger(phase) || phase < 0) throw new Error(`signals.csv: line ${k + 2}: phase is not an interval index (${JSON.stringify(r[cPhase])})`);
      if (!/^[Ggyr]*$/.test(r[cState] ?? '')) throw new Error(`signals.csv: line ${k + 2}: state is not a string of G g y r (${JSON.stringify(r[cState])})`);
      let list = this.byJunction.get(r[cJunction]);
      if (!list) this.byJunction.set(r[cJunction], (list = []));
      if (list.length > 0 && time < list[list.length - 1].time) throw new Error(`signals.csv: line ${k + 2}: time ${time} is before the junction's previous switch`);
      list.push({ time, program: r[cProgram], phase, state: r[cState] });
    });
  }

  has(junction: string): boolean {
    return this.byJunction.has(junction);
  }

  /** Every switch of a junction, in time order (empty when the file does not have it). */
  switches(junction: string): readonly SignalSwitch[] {
    return this.byJunction.get(junction) ?? [];
  }

  /** The switch in force at t (the last at or before t), or null before the first or for a junction not in the file. */
  at(junction: string, t: number, recent = 8): RecordedSignal | null {
    const list = this.byJunction.get(junction);
    if (!list || list.length === 0 || list[0].time > t) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid].time <= t) lo = mid;
      else hi = mid - 1;
    }
    const before: SignalSwitch[] = [];
    for (let k = lo - 1; k >= 0 && before.length < recent; k--) before.push(list[k]);
    return { current: list[lo], index: lo, next: lo + 1 < list.length ? list[lo + 1] : null, before };
  }
}
