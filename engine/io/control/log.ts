/**
 * The command log of a served simulation: newline-delimited JSON, written as the commands come,
 * from which `roadtwin run --replay-commands FILE` repeats the run bit for bit.
 *
 *   {"roadtwinCommands":1,"engineVersion":"…","scenarioFile":"…","scenarioHash":"…","set":["seed=7"]}
 *   {"tick":120,"cmd":{"cmd":"setSignal","node":"n1_1","phase":2}}
 *   {"tick":120,"cmd":{"cmd":"setSpeed","vehicle":17,"speed":5}}
 *   {"end":{"tick":18000,"time":1800,"stateHash":"…"}}
 *
 * The first line says what was simulated (the scenario's hash after the overrides in `set`); then
 * every command that changed the simulation, with the tick before which it took effect, in the
 * order it did (reads and steps are not logged: they change nothing, and the ticks say when); the
 * last line, written when the simulation is reset or closed, says where it stopped and its state
 * hash there. Each line is written whole with one write call before the command takes effect.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { ENGINE_VERSION } from '../../core/version.js';
import { parseRequest, isMutating, RequestError, type MutatingRequest } from './protocol.js';

export const COMMAND_LOG_VERSION = 1;

export interface CommandLogHeader {
  roadtwinCommands: number;
  engineVersion: string;
  scenarioFile: string;
  scenarioHash: string;
  /** the overrides the simulation was created with (`seed=N` among them when a seed was given) */
  set: string[];
}

export interface LoggedCommand {
  tick: number;
  cmd: MutatingRequest;
  /** 1-based line of the log (messages name it) */
  line: number;
}

export interface CommandLogEnd {
  tick: number;
  time: number;
  stateHash: string;
}

/** A log being written; every call writes one whole line. */
export class CommandLogWriter {
  private fd: number | null;

  constructor(
    readonly file: string,
    header: Omit<CommandLogHeader, 'roadtwinCommands' | 'engineVersion'>,
  ) {
    this.fd = openSync(file, 'wx');
    this.line({ roadtwinCommands: COMMAND_LOG_VERSION, engineVersion: ENGINE_VERSION, ...header });
  }

  /** Logs a command about to take effect before tick `tick` (the request's id and env left out). */
  command(tick: number, req: MutatingRequest): void {
    const { id: _id, env: _env, ...cmd } = req;
    this.line({ tick, cmd });
  }

  /** The last line; the log is closed. */
  end(end: CommandLogEnd): void {
    if (this.fd === null) return;
    this.line({ end });
    closeSync(this.fd);
    this.fd = null;
  }

  private line(value: unknown): void {
    if (this.fd === null) throw new Error(`command log ${this.file} is closed`);
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }
}

export interface ParsedCommandLog {
  header: CommandLogHeader;
  commands: LoggedCommand[];
  end: CommandLogEnd | null;
}

/**
 * A log's text, checked line by line: a message `LINE: field: problem` for the first bad line
 * (the caller puts the file name first).
 */
export function parseCommandLog(text: string): ParsedCommandLog | string {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return '1: the file is empty; a command log starts with a {"roadtwinCommands":1,…} line';
  const json = (i: number): unknown => {
    try {
      return JSON.parse(lines[i]);
    } catch {
      return undefined;
    }
  };
  const first = json(0) as Partial<CommandLogHeader> | undefined;
  if (typeof first !== 'object' || first === null || first.roadtwinCommands === undefined) return '1: not a command log (its first line is not {"roadtwinCommands":1,…})';
  if (first.roadtwinCommands !== COMMAND_LOG_VERSION) return `1: roadtwinCommands: version ${JSON.stringify(first.roadtwinCommands)}, this engine reads version ${COMMAND_LOG_VERSION}`;
  if (typeof first.scenarioHash !== 'string') return '1: scenarioHash: expected a string';
  if (!Array.isArray(first.set) || !first.set.every((s) => typeof s === 'string')) return '1: set: expected a list of path=value strings';
  const header: CommandLogHeader = {
    roadtwinCommands: first.roadtwinCommands,
    engineVersion: String(first.engineVersion),
    scenarioFile: String(first.scenarioFile),
    scenarioHash: first.scenarioHash,
    set: first.set,
  };
  const commands: LoggedCommand[] = [];
  let end: CommandLogEnd | null = null;
  let lastTick = 0;
  for (let i = 1; i < lines.length; i++) {
    const at = i + 1;
    const v = json(i) as { tick?: unknown; cmd?: unknown; end?: unknown } | undefined;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at}: not a JSON object`;
    if (end) return `${at}: a line after the log's end line`;
    if (v.end !== undefined) {
      const e = v.end as Partial<CommandLogEnd>;
      if (typeof e !== 'object' || e === null || !Number.isInteger(e.tick) || typeof e.stateHash !== 'string' || typeof e.time !== 'number') return `${at}: end: expected {"tick":N,"time":T,"stateHash":"…"}`;
      end = { tick: e.tick!, time: e.time, stateHash: e.stateHash };
      continue;
    }
    if (!Number.isInteger(v.tick) || (v.tick as number) < 0) return `${at}: tick: expected a whole number ≥ 0`;
    const tick = v.tick as number;
    if (tick < lastTick) return `${at}: tick: ${tick} is before the line above's ${lastTick} (a log is in the order the commands took effect)`;
    lastTick = tick;
    if (typeof v.cmd !== 'object' || v.cmd === null) return `${at}: cmd: expected a command object`;
    let req;
    try {
      // (the env is the log's own: any number passes the schema)
      req = parseRequest({ ...(v.cmd as object), env: 1 });
    } catch (err) {
      if (err instanceof RequestError) return `${at}: cmd.${err.message}`;
      throw err;
    }
    if (!isMutating(req)) return `${at}: cmd.cmd: '${req.cmd}' changes nothing and is never logged`;
    commands.push({ tick, cmd: req, line: at });
  }
  return { header, commands, end };
}
