/**
 * Replaying a command log into a run (`roadtwin run --replay-commands FILE`): before each tick,
 * the commands logged for it are applied, in their order, through the same code the server uses
 * (commands.ts), then the held speeds (holds.ts), exactly as the served simulation did between
 * its ticks. A command that cannot apply (the log was edited, or belongs to another scenario)
 * stops the run with a message naming its line.
 */
import { World } from '../../sim/world.js';
import { InputLimitError, LIMITS, readTextBounded } from '../limits.js';
import { loadScenario, ScenarioError } from '../scenario/index.js';
import { prepare } from './commands.js';
import { SpeedHolds } from './holds.js';
import { parseCommandLog, type CommandLogEnd, type LoggedCommand } from './log.js';
import { RequestError } from './protocol.js';

export class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayError';
  }
}

export class CommandReplay {
  private next = 0;
  private readonly holds = new SpeedHolds();

  constructor(
    private readonly file: string,
    private readonly commands: readonly LoggedCommand[],
  ) {}

  /** Commands applied so far. */
  get applied(): number {
    return this.next;
  }

  /** Call before each `world.step()`. */
  readonly beforeTick = (world: World): void => {
    const cmds = this.commands;
    while (this.next < cmds.length && cmds[this.next].tick <= world.tick) {
      const c = cmds[this.next];
      try {
        prepare({ world, holds: this.holds }, c.cmd)();
      } catch (err) {
        if (!(err instanceof RequestError)) throw err;
        throw new ReplayError(`${this.file}:${c.line}: cmd.${err.message} (at tick ${world.tick}; was the log made with this scenario?)`);
      }
      this.next++;
    }
    this.holds.apply(world);
  };
}

/** A command log read and checked for a run of `scenarioFile`: what to replay and with which overrides. */
export interface LoadedReplay {
  replay: CommandReplay;
  /** the log's overrides, then the caller's */
  overrides: string[];
  commands: number;
  end: CommandLogEnd | null;
}

/**
 * Reads and checks `logFile` for a run of `scenarioFile` with `overrides` (the command line's):
 * every line well formed, the scenario (with the log's overrides first) the one the log was made
 * of, the ticks within the run, and the signal and vehicle-adding commands' names and sizes valid
 * on the scenario's network. Returns a one-line message `FILE:LINE: field: problem` otherwise;
 * nothing is written either way. (Whether a vehicle a command names is on the road shows only
 * when the run gets there.)
 */
export function loadReplay(logFile: string, scenarioFile: string, overrides: readonly string[]): LoadedReplay | string {
  let text: string;
  try {
    text = readTextBounded(logFile, LIMITS.commands);
  } catch (err) {
    if (err instanceof InputLimitError) return `${logFile}: ${err.message}`;
    const code = (err as NodeJS.ErrnoException).code;
    return `${logFile}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a command log' : (err as Error).message}`;
  }
  const log = parseCommandLog(text);
  if (typeof log === 'string') return `${logFile}:${log}`;
  const all = [...log.header.set, ...overrides];
  let loaded;
  try {
    loaded = loadScenario(scenarioFile, { overrides: all });
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return err.format();
  }
  if (loaded.hash !== log.header.scenarioHash)
    return `${logFile}:1: scenarioHash: the log was made of another scenario than ${scenarioFile}${log.header.set.length > 0 ? ` with ${log.header.set.join(' ')}` : ''} (it names ${log.header.scenarioFile})`;
  const world = new World(loaded.scenario);
  const last = world.ticksTotal;
  for (const c of log.commands) {
    if (c.tick >= last) return `${logFile}:${c.line}: tick: ${c.tick} is at or past the run's last tick (${last})`;
    if (c.cmd.cmd !== 'setSignal' && c.cmd.cmd !== 'addVehicle') continue;
    try {
      // checks only: the change itself is not applied
      prepare({ world, holds: new SpeedHolds() }, c.cmd);
    } catch (err) {
      if (err instanceof RequestError) return `${logFile}:${c.line}: cmd.${err.message}`;
      throw err;
    }
  }
  return { replay: new CommandReplay(logFile, log.commands), overrides: all, commands: log.commands.length, end: log.end };
}
