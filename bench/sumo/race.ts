/**
 * `npm run bench:sumo`: roadtwin and SUMO side by side on the same network and demand.
 *
 * 1. netgenerate builds a grid with traffic lights, randomTrips.py (with duarouter) the routes;
 * 2. SUMO runs them with IDM car-following (the vType below, sigma 0), step 0.1 s (or --step), no GUI,
 *    teleports off, timed by its own --duration-log.statistics and by /usr/bin/time -v;
 * 3. `roadtwin import sumo` converts the same files and `roadtwin run` runs them with
 *    --workers 2 and 1, timed and measured the same way;
 * 4. one table: vehicle updates per second and their ratio, real-time factor, peak memory, and
 *    the agreement of the models (mean travel time, mean trip speed, arrived vehicles) in %.
 * Results go to bench/results/sumo-race.json. Options: --grid N --length M --period S --end S
 * --duration S --step S (defaults below; the results file is sumo-race-step1.json at --step 1);
 * the generated files stay in the printed work directory.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSumo } from '../../engine/io/sumo/import.js';
import { scenarioYaml } from '../../engine/io/sumo/yaml.js';
import { have, randomTrips, run, timed } from './tools.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Options {
  grid: number;
  length: number;
  period: number;
  end: number;
  duration: number;
  step: number;
}
const defaults: Options = { grid: 16, length: 150, period: 0.05, end: 300, duration: 900, step: 0.1 };

/** The vehicle type of both runs: SUMO's passenger-car IDM parameters, no randomness. */
const VTYPE =
  '<vType id="idm" carFollowModel="IDM" accel="2.6" decel="4.5" tau="1.0" minGap="2.5" length="5" maxSpeed="30" sigma="0" speedDev="0" emergencyDecel="9"/>';

interface Run {
  name: string;
  vehicles: number;
  vehicleUpdates: number;
  wallSeconds: number;
  updatesPerSecond: number;
  realTimeFactor: number;
  peakMemoryMB: number | null;
  arrived: number;
  meanTravelTime: number;
  meanTripSpeed: number;
  meanRouteLength: number;
  teleports?: number;
  removed?: number;
}

function parseOptions(argv: string[]): Options {
  const o = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Options;
    const value = Number(argv[i + 1]);
    if (!(key in defaults) || !Number.isFinite(value) || value <= 0 || (key === 'step' && value > 1)) {
      process.stderr.write(`bench:sumo: unknown option or bad value: ${argv[i]} ${argv[i + 1] ?? ''}\n  options: ${Object.keys(defaults).map((k) => `--${k}`).join(' ')}\n`);
      process.exit(1);
    }
    o[key] = value;
  }
  return o;
}

const field = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  if (!m) throw new Error(`SUMO output has no ${re}`);
  return Number(m[1]);
};

function runSumo(dir: string, o: Options): Run {
  const { output, peakMB } = timed('sumo', [
    // (duarouter copied the vType into grid.rou.xml)
    '-n', 'grid.net.xml', '-r', 'grid.rou.xml',
    '--step-length', String(o.step), '--end', String(o.duration),
    '--no-step-log', 'true', '--duration-log.statistics', 'true',
    '--time-to-teleport', '-1', '--seed', '1', '--no-warnings', 'true',
  ], dir);
  const wall = field(output, /Duration: ([\d.]+)s/);
  const ups = field(output, /UPS: ([\d.]+)/);
  const stats = /Statistics \(avg of (\d+)\):\s+RouteLength: ([\d.]+)\s+Speed: ([\d.]+)\s+Duration: ([\d.]+)/.exec(output);
  if (!stats) throw new Error('SUMO printed no trip statistics');
  const teleports = /Teleports: (\d+)/.exec(output);
  return {
    name: 'SUMO 1.x (IDM)',
    vehicles: field(output, /Inserted: (\d+)/),
    vehicleUpdates: Math.round(ups * wall),
    wallSeconds: wall,
    updatesPerSecond: ups,
    realTimeFactor: field(output, /Real time factor: ([\d.]+)/),
    peakMemoryMB: peakMB,
    arrived: Number(stats[1]),
    meanRouteLength: Number(stats[2]),
    meanTripSpeed: Number(stats[3]),
    meanTravelTime: Number(stats[4]),
    teleports: teleports ? Number(teleports[1]) : 0,
  };
}

function runRoadtwin(dir: string, workers: number, step: number): Run {
  const out = join(dir, `roadtwin-w${workers}`);
  const { peakMB } = timed(process.execPath, [join(root, 'bin', 'roadtwin.js'), 'run', 'scenario.yaml', '--step', String(step), '--workers', String(workers), '--quiet', '--out', out], dir);
  const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
  const rows = readFileSync(join(out, 'trips.csv'), 'utf8').trim().split('\n');
  const head = rows[0].split(',');
  const col = (name: string) => head.indexOf(name);
  let tt = 0;
  let speed = 0;
  let len = 0;
  for (const r of rows.slice(1)) {
    const f = r.split(',');
    const t = Number(f[col('travelTime')]);
    const l = Number(f[col('routeLength')]);
    tt += t;
    len += l;
    speed += t > 0 ? l / t : 0;
  }
  const n = rows.length - 1;
  return {
    name: `roadtwin --workers ${workers}`,
    vehicles: m.vehicles.inserted,
    vehicleUpdates: m.vehicleUpdates,
    wallSeconds: m.wallSeconds,
    updatesPerSecond: m.updatesPerSecond,
    realTimeFactor: m.realTimeFactor,
    peakMemoryMB: peakMB,
    arrived: n,
    meanTravelTime: n > 0 ? tt / n : 0,
    meanTripSpeed: n > 0 ? speed / n : 0,
    meanRouteLength: n > 0 ? len / n : 0,
    removed: m.vehicles.removed,
  };
}

const pct = (x: number, ref: number) => `${x >= ref ? '+' : ''}${(((x - ref) / ref) * 100).toFixed(1)} %`;
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  const missing = ['sumo', 'netgenerate'].filter((c) => !have(c, ['--version']));
  if (missing.length > 0 || !existsSync(randomTrips)) {
    process.stderr.write(
      `bench:sumo needs SUMO (${[...missing, ...(existsSync(randomTrips) ? [] : [randomTrips])].join(', ')} not found).\n` +
        'Install it with: apt-get install -y sumo sumo-tools\n',
    );
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'roadtwin-sumo-race-'));
  process.stdout.write(`work directory: ${dir}\n`);
  writeFileSync(join(dir, 'types.add.xml'), `<additional>\n    ${VTYPE}\n</additional>\n`);
  const netgen = ['--grid', '--grid.number', String(o.grid), '--grid.length', String(o.length), '--default.lanenumber', '2', '--tls.guess', 'true', '--seed', '1', '-o', 'grid.net.xml'];
  const trips = ['-n', 'grid.net.xml', '-a', 'types.add.xml', '-r', 'grid.rou.xml', '-o', 'grid.trips.xml', '-b', '0', '-e', String(o.end), '-p', String(o.period), '--seed', '1', '--validate', '--trip-attributes', 'type="idm"'];
  const commands = [
    `netgenerate ${netgen.join(' ')}`,
    `python3 ${randomTrips} ${trips.map((a) => (a.includes('"') ? `'${a}'` : a)).join(' ')}`,
    `sumo -n grid.net.xml -r grid.rou.xml --step-length ${o.step} --end ${o.duration} --no-step-log true --duration-log.statistics true --time-to-teleport -1 --seed 1 --no-warnings true`,
    `roadtwin import sumo --net grid.net.xml --routes grid.rou.xml --out scenario.yaml --duration ${o.duration}`,
    `roadtwin run scenario.yaml --step ${o.step} --workers 2   (and --workers 1)`,
  ];
  run('netgenerate', netgen, dir);
  run('python3', [randomTrips, ...trips], dir);

  process.stdout.write('running SUMO …\n');
  const sumo = runSumo(dir, o);
  const imported = importSumo({ net: join(dir, 'grid.net.xml'), routes: [join(dir, 'grid.rou.xml')], duration: o.duration, name: 'sumo-race' });
  writeFileSync(join(dir, 'scenario.yaml'), scenarioYaml(imported.scenario, ['sumo race', ...imported.warnings.lines()]));
  const runs: Run[] = [sumo];
  for (const w of [2, 1]) {
    process.stdout.write(`running roadtwin --workers ${w} …\n`);
    runs.push(runRoadtwin(dir, w, o.step));
  }

  const header = '| run | vehicles | vehicle updates | updates/s | × SUMO | real-time factor | peak memory | mean travel time | mean trip speed | arrived |';
  const lines = [header, '|---|---|---|---|---|---|---|---|---|---|'];
  for (const r of runs) {
    const ref = r === sumo;
    lines.push(
      `| ${r.name} | ${fmt(r.vehicles)} | ${fmt(r.vehicleUpdates)} | ${fmt(r.updatesPerSecond)} | ${ref ? '1' : (r.updatesPerSecond / sumo.updatesPerSecond).toFixed(1)} | ${fmt(r.realTimeFactor, 1)} | ${r.peakMemoryMB === null ? '–' : `${fmt(r.peakMemoryMB)} MB`} | ` +
        `${fmt(r.meanTravelTime, 1)} s${ref ? '' : ` (${pct(r.meanTravelTime, sumo.meanTravelTime)})`} | ${fmt(r.meanTripSpeed, 2)} m/s${ref ? '' : ` (${pct(r.meanTripSpeed, sumo.meanTripSpeed)})`} | ${fmt(r.arrived)}${ref ? '' : ` (${pct(r.arrived, sumo.arrived)})`} |`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.stdout.write(`SUMO teleports: ${sumo.teleports ?? 0} (teleporting is off); roadtwin removals (gridlock): ${runs[1].removed}\n`);
  process.stdout.write(`mean route length: SUMO ${fmt(sumo.meanRouteLength, 1)} m, roadtwin ${fmt(runs[1].meanRouteLength, 1)} m\n`);
  const results = {
    date: new Date().toISOString(),
    options: o,
    commands,
    workDir: dir,
    importWarnings: imported.warnings.lines(),
    runs,
    ratioWorkers2: runs[1].updatesPerSecond / sumo.updatesPerSecond,
    ratioWorkers1: runs[2].updatesPerSecond / sumo.updatesPerSecond,
    agreement: {
      meanTravelTime: (runs[1].meanTravelTime - sumo.meanTravelTime) / sumo.meanTravelTime,
      meanTripSpeed: (runs[1].meanTripSpeed - sumo.meanTripSpeed) / sumo.meanTripSpeed,
      arrived: (runs[1].arrived - sumo.arrived) / sumo.arrived,
    },
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  const name = o.step === defaults.step ? 'sumo-race.json' : `sumo-race-step${o.step}.json`;
  writeFileSync(join(root, 'bench', 'results', name), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`written: bench/results/${name}\n`);
}

main();
