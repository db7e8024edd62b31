/**
 * SUMO configuration files (`.sumocfg`): the input files and the time settings of a run.
 *
 * SUMO writes each option as an element named after the option with a `value` attribute, inside
 * group elements (`<input>`, `<time>`, …) that it does not require; so every element under the
 * root is looked at, whatever its group. File lists are comma- or space-separated, and relative
 * paths are relative to the config file. A listed file that does not exist is reported before
 * anything is read, with the config line that names it.
 *
 * Format: https://sumo.dlr.de/docs/sumo.html#configuration_files
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseXml, readText, SumoImportError, type XmlElement } from './xml.js';
import type { Warnings } from './warnings.js';

export interface SumoConfig {
  file: string;
  net: string;
  routes: string[];
  additional: string[];
  /** s (SUMO's default 0) */
  begin: number;
  /** s; absent: run until the demand is done */
  end?: number;
  /** s; absent: not given (SUMO's default is 1 s) */
  step?: number;
  seed?: number;
}

/** Options that only change what SUMO prints or writes, or how it runs its GUI: nothing to carry over. */
const QUIET = /(^|-)output(-|$)|^output-prefix$|^log$|^message-log$|^error-log$|^verbose$|^no-step-log$|^no-warnings$|^duration-log\.|^print-options$|^xml-validation|^gui-settings-file$|^start$|^quit-on-end$|^delay$|^breakpoints$|^window-|^step-log\.|^aggregate-warnings$|^save-|^write-license$|^statistic-output$|^summary$|^tripinfo$/;
const USED = new Set(['net-file', 'route-files', 'additional-files', 'begin', 'end', 'step-length', 'seed']);

export function readConfig(file: string, warnings: Warnings): SumoConfig {
  const text = readText(file);
  const root = parseXml(text, file, ['configuration', 'sumoConfiguration']);
  const options = new Map<string, XmlElement>();
  const walk = (els: XmlElement[]) => {
    for (const el of els) {
      if (el.attrs.value !== undefined) options.set(el.name, el);
      else walk(el.children);
    }
  };
  walk(root.children);

  const here = dirname(file);
  const line = (option: string) => lineOf(text, option);
  const files = (option: string): string[] => {
    const el = options.get(option);
    if (!el) return [];
    const list = el.attrs.value.split(/[\s,]+/).filter((f) => f.length > 0);
    return list.map((f) => {
      const path = isAbsolute(f) ? f : resolve(here, f);
      // one line naming the config, the line and the file: the user edits the config, not the importer
      if (!existsSync(path)) throw new SumoImportError(`${file}:${line(option)}: ${option} names '${f}', which does not exist (${path})`);
      return path;
    });
  };
  const number = (option: string): number | undefined => {
    const el = options.get(option);
    if (!el) return undefined;
    const x = Number(el.attrs.value);
    if (el.attrs.value.trim() === '' || !Number.isFinite(x))
      throw new SumoImportError(`${file}:${line(option)}: ${option} "${el.attrs.value}" is not a number of seconds`);
    return x;
  };

  const nets = files('net-file');
  if (nets.length === 0) throw new SumoImportError(`${file}: the configuration names no net-file`);
  if (nets.length > 1) warnings.add('configurations with several net files: the first is imported', nets[1]);
  const seed = number('seed');
  const config: SumoConfig = {
    file,
    net: nets[0],
    routes: files('route-files'),
    additional: files('additional-files'),
    begin: number('begin') ?? 0,
    end: number('end'),
    step: number('step-length'),
    seed: seed !== undefined ? Math.trunc(Math.abs(seed)) % 2 ** 32 : undefined,
  };
  if (config.end !== undefined && config.end <= config.begin)
    throw new SumoImportError(`${file}:${line('end')}: end ${config.end} is not after begin ${config.begin}`);
  for (const [name, el] of options) {
    if (USED.has(name) || QUIET.test(name)) continue;
    if (name === 'random' && el.attrs.value !== 'true') continue;
    warnings.add(`config option '${name}' is not carried over`, `${name}=${el.attrs.value}`, `cfg:${name}`);
  }
  return config;
}

/** The line of the first element named `option` outside comments (1-based; 1 if not found). */
function lineOf(raw: string, option: string): number {
  // comments blanked out, newlines kept, so that a commented-out option is not the one named
  const text = raw.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
  const m = new RegExp(`<${option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s/>]`).exec(text);
  if (!m) return 1;
  let n = 1;
  for (let i = 0; i < m.index; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
