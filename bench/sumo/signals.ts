/**
 * `npm run bench:signals`: actuated against fixed-time signals, in SUMO and in roadtwin, on the
 * same single intersection and the same random trips (docs/signals.md has the figures).
 *
 * 1. netgenerate builds one signalised junction (four 300 m arms, one lane each) twice: with
 *    `--tls.default-type static` (90 s cycle, 42 s greens, 3 s yellow) and `actuated` (the same
 *    phases with minDur 5, maxDur 50);
 * 2. randomTrips.py draws the trips: balanced (every arm alike) and main/side (the W–E arms
 *    weighted 4:1 against N–S as sources and destinations); --min-distance 100 leaves out the
 *    U-turns (a quarter of the trips otherwise: source and destination on the same arm);
 * 3. SUMO runs each net with IDM (the vType of bench:sumo), its tripinfo gives each vehicle's
 *    waiting time and route length; `roadtwin import sumo` converts the same files (the actuated
 *    tlLogic becomes roadtwin's actuated controller) and `roadtwin run` runs them;
 * 4. one table per demand: arrived, mean travel time, mean waiting time (speed under 0.1 m/s) and
 *    mean delay (travel time − route length / 13.89 m/s, the same formula for both).
 * Options: --period S (balanced demand), --end S (trips until), --step S. Results go to
 * bench/results/signals.json; the generated files stay in the printed work directory.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSumo } from '../../engine/io/sumo/import.js';
import { scenarioYaml } from '../../engine/io/sumo/yaml.js';
import { have, randomTrips, run } from './tools.js';

/** The repository: the nearest folder up with a package.json (dist/bench/sumo when built, bench/sumo under tsx). */
const root = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json')) && dirname(d) !== d) d = dirname(d);
  return d;
})();
const VTYPE =
  '<vType id="idm" carFollowModel="IDM" accel="2.6" decel="4.5" tau="1.0" minGap="2.5" length="5" maxSpeed="30" sigma="0" speedDev="0" emergencyDecel="9"/>';
const FREE_SPEED = 13.89;

interface Options {
  period: number;
  end: number;
  step: number;
}

interface Result {
  run: string;
  arrived: number;
  meanTravelTime: number;
  meanWaiting: number;
  meanDelay: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { period: 3, end: 3600, step: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in o) || !Number.isFinite(value) || value <= 0 || (key === 'step' && value > 1)) {
      process.stderr.write(`bench:signals: unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}\n  options: --period --end --step\n`);
      process.exit(1);
    }
    o[key] = value;
  }
  return o;
}

const mean = (xs: number[]) => (xs.length > 0 ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

function summarise(name: string, rows: { travel: number; waiting: number; length: number }[]): Result {
  return {
    run: name,
    arrived: rows.length,
    meanTravelTime: mean(rows.map((r) => r.travel)),
    meanWaiting: mean(rows.map((r) => r.waiting)),
    meanDelay: mean(rows.map((r) => r.travel - r.length / FREE_SPEED)),
  };
}

function runSumo(dir: string, net: string, routes: string, o: Options, tag: string, key: string): Result {
  const out = `tripinfo-${key}.xml`;
  run('sumo', ['-n', net, '-r', routes, '--step-length', String(o.step), '--end', String(o.end + 1800), '--no-step-log', 'true', '--time-to-teleport', '-1', '--seed', '1', '--no-warnings', 'true', '--tripinfo-output', out], dir);
  const xml = readFileSync(join(dir, out), 'utf8');
  const rows = [...xml.matchAll(/<tripinfo [^>]*>/g)].map((m) => {
    const a = (k: string) => Number(new RegExp(`\\b${k}="([^"]+)"`).exec(m[0])![1]);
    return { travel: a('duration'), waiting: a('waitingTime'), length: a('routeLength') };
  });
  return summarise(`SUMO ${tag}`, rows);
}

function runRoadtwin(dir: string, net: string, routes: string, o: Options, tag: string, key: string): Result & { warnings: string[] } {
  const imported = importSumo({ net: join(dir, net), routes: [join(dir, routes)], duration: o.end + 1800, name: `signals-${tag}` });
  const file = `scenario-${key}.yaml`;
  writeFileSync(join(dir, file), scenarioYaml(imported.scenario, ['bench:signals', ...imported.warnings.lines()]));
  const out = join(dir, `roadtwin-${key}`);
  run(process.execPath, [join(root, 'bin', 'roadtwin.js'), 'run', file, '--step', String(o.step), '--quiet', '--out', out], dir);
  const lines = readFileSync(join(out, 'trips.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (k: string) => head.indexOf(k);
  const rows = lines.slice(1).map((l) => {
    const f = l.split(',');
    return { travel: Number(f[col('travelTime')]), waiting: Number(f[col('waitingTime')]), length: Number(f[col('routeLength')]) };
  });
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  const r = summarise(`roadtwin ${tag}`, rows);
  return { ...r, warnings: [...imported.warnings.lines(), `removed: ${m.vehicles.removed}`] };
}

const f1 = (x: number) => x.toFixed(1);

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  const missing = ['sumo', 'netgenerate'].filter((c) => !have(c, ['--version']));
  if (missing.length > 0) {
    process.stderr.write(`bench:signals needs SUMO (${missing.join(', ')} not found). Install it with: apt-get install -y sumo sumo-tools\n`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'roadtwin-signals-'));
  process.stdout.write(`work directory: ${dir}\n`);
  writeFileSync(join(dir, 'types.add.xml'), `<additional>\n    ${VTYPE}\n</additional>\n`);
  const nets = ['static', 'actuated'];
  const commands: string[] = [];
  for (const t of nets) {
    const args = ['--grid', '--grid.number', '1', '--grid.attach-length', '300', '--tls.set', 'A0', '--tls.default-type', t, '--seed', '1', '-o', `${t}.net.xml`];
    commands.push(`netgenerate ${args.join(' ')}`);
    run('netgenerate', args, dir);
  }
  // main/side weights: W–E arms 4, N–S arms 1, as sources and destinations
  const weights = (suffix: string, into: boolean) =>
    `<edgedata>\n  <interval begin="0" end="${o.end}">\n${['left0', 'right0', 'top0', 'bottom0']
      .map((a) => `    <edge id="${into ? `${a}A0` : `A0${a}`}" value="${a === 'left0' || a === 'right0' ? 4 : 1}"/>`)
      .join('\n')}\n  </interval>\n</edgedata>\n`;
  writeFileSync(join(dir, 'mainside.src.xml'), weights('src', true));
  writeFileSync(join(dir, 'mainside.dst.xml'), weights('dst', false));
  const demands = [
    { name: 'balanced', period: o.period, extra: [] as string[] },
    { name: 'main/side 4:1', period: o.period * 0.8, extra: ['--weights-prefix', 'mainside'] },
  ];
  const tables: { demand: string; vehPerHour: number; results: Result[] }[] = [];
  const notes: string[] = [];
  demands.forEach((d, i) => {
    const routes = `trips-${i}.rou.xml`;
    const args = ['-n', 'static.net.xml', '-a', 'types.add.xml', '-r', routes, '-o', `trips-${i}.xml`, '-b', '0', '-e', String(o.end), '-p', String(d.period), '--seed', '1', '--validate', '--min-distance', '100', '--trip-attributes', 'type="idm"', ...d.extra];
    commands.push(`python3 ${randomTrips} ${args.map((a) => (a.includes('"') ? `'${a}'` : a)).join(' ')}`);
    run('python3', [randomTrips, ...args], dir);
    const results: Result[] = [];
    for (const t of nets) {
      process.stdout.write(`${d.name}: SUMO ${t} …\n`);
      results.push(runSumo(dir, `${t}.net.xml`, routes, o, t, `${t}-${i}`));
      process.stdout.write(`${d.name}: roadtwin ${t} …\n`);
      const r = runRoadtwin(dir, `${t}.net.xml`, routes, o, t, `${t}-${i}`);
      notes.push(`${d.name} roadtwin ${t}: ${r.warnings.join('; ')}`);
      results.push({ run: r.run, arrived: r.arrived, meanTravelTime: r.meanTravelTime, meanWaiting: r.meanWaiting, meanDelay: r.meanDelay });
    }
    tables.push({ demand: d.name, vehPerHour: Math.round(3600 / d.period), results });
  });
  commands.push(`sumo -n NET -r ROUTES --step-length ${o.step} --end ${o.end + 1800} --time-to-teleport -1 --seed 1 --tripinfo-output tripinfo.xml`);
  commands.push(`roadtwin import sumo --net NET --routes ROUTES --out scenario.yaml --duration ${o.end + 1800}; roadtwin run scenario.yaml --step ${o.step}`);
  for (const t of tables) {
    process.stdout.write(`\n${t.demand}, ${t.vehPerHour} veh/h, step ${o.step} s\n\n| run | arrived | mean travel time | mean waiting | mean delay |\n|---|---|---|---|---|\n`);
    for (const r of t.results) process.stdout.write(`| ${r.run} | ${r.arrived} | ${f1(r.meanTravelTime)} s | ${f1(r.meanWaiting)} s | ${f1(r.meanDelay)} s |\n`);
  }
  process.stdout.write(`\n${notes.join('\n')}\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'signals.json'), `${JSON.stringify({ date: new Date().toISOString(), options: o, commands, workDir: dir, tables, notes }, null, 2)}\n`);
  process.stdout.write('written: bench/results/signals.json\n');
}

main();
