/**
 * What makes a run directory reproducible and self-describing: the manifest's account of how the
 * run was started (the command as typed, every override in order, Node and the platform), and
 * `scenario.yaml`, the scenario as the run read it: validated, every default filled in, the
 * overrides applied. `roadtwin run RUN_DIR/scenario.yaml` runs the same scenario again and ends
 * in the same stateHash (engine/io/run/provenance.test.ts runs it).
 *
 * The copy is the validated scenario rather than the original text because only that one needs
 * nothing beside it: the only scenario field naming another file, `logistics.orders.csv`, has its
 * rows already joined to `logistics.orders.list` when the scenario is loaded, so the copy keeps
 * the rows and drops the file name (its scenarioHash then differs from the run's, which hashed
 * the name too; the simulation and its stateHash do not).
 */
import { stringify } from 'yaml';
import { join } from 'node:path';
import type { Scenario } from '../scenario/index.js';
import { parseOverride } from '../scenario/index.js';
import { writeFileAtomic } from './atomic.js';

/** The file name of the scenario copy in a run directory. */
export const SCENARIO_COPY = 'scenario.yaml';

/** How a run was started, as its manifest records it. */
export interface Provenance {
  /** the command line (`roadtwin` then the arguments as given); absent when a program started the run through the library */
  command?: { argv: string[]; line: string };
  /** every override, in the order applied: `--set` ones first, then `--seed`, `--duration`, `--step` */
  overrides: { path: string; value: unknown }[];
  nodeVersion: string;
  platform: string;
  arch: string;
}

/** The provenance of a run started by `argv` (null: not from a command line) with these override strings. */
export function provenanceOf(argv: readonly string[] | undefined, overrides: readonly string[]): Provenance {
  const parsed: Provenance['overrides'] = [];
  for (const text of overrides) {
    const o = parseOverride(text);
    // (the scenario loaded, so every override parsed; a bad one never reaches a run)
    if (!('message' in o)) parsed.push({ path: o.path.join('.'), value: o.value });
  }
  return {
    ...(argv ? { command: { argv: [...argv], line: shellLine(argv) } } : {}),
    overrides: parsed,
    nodeVersion: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

/** The arguments as one line a POSIX shell reads back into the same arguments. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The scenario copy's text: the validated scenario as YAML, orders of a CSV file inlined. */
export function scenarioCopyText(scenario: Scenario): string {
  const copy = structuredClone(scenario) as Scenario;
  const orders = copy.logistics?.orders as { csv?: string } | undefined;
  const inlined = orders?.csv;
  if (orders) delete orders.csv;
  const head = [
    '# The scenario of this run as it was read: validated, with every default and override applied.',
    '# `roadtwin run <this file>` runs it again, to the same stateHash (docs/run-directory.md).',
    ...(inlined !== undefined ? [`# The orders of ${JSON.stringify(inlined)} (logistics.orders.csv) are inlined in logistics.orders.list.`] : []),
  ];
  return `${head.join('\n')}\n${stringify(copy, { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}

export function writeScenarioCopy(dir: string, scenario: Scenario): void {
  writeFileAtomic(join(dir, SCENARIO_COPY), scenarioCopyText(scenario));
}
