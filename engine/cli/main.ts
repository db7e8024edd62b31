/**
 * The `roadtwin` command line. Thin by design: it parses options and calls the library;
 * every command lives in a module of its own beside this file.
 */
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../core/version.js';

// Each command's module is loaded when that command runs, not all of them at start: a `run`
// loaded the sweep queue (bullmq, Redis client), the control and live servers' WebSocket library
// and the importers' parsers it never uses, ~45 MB of resident memory in every run before a
// vehicle moved (`roadtwin --version` peaked at 94 MB).

const collect = (value: string, previous: string[]) => [...previous, value];

const program = new Command()
  .name('roadtwin')
  .description('Deterministic simulation of digital roads: vehicles, roadside units and unmanned logistics.')
  .version(ENGINE_VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('run')
  .description('run a scenario to the end and write its run directory')
  .argument('<scenario>', 'scenario YAML file')
  .option('--out <dir>', 'run directory (default runs/<name>-<timestamp>)')
  .option('--seed <n>', 'random seed (overrides the scenario)')
  .option('--workers <n>', 'worker threads (default: number of cores; 1 = main thread only)')
  .option('--duration <s>', 'simulated seconds (overrides the scenario)')
  .option('--step <s>', 'seconds per tick (overrides the scenario)')
  .option('--set <path=value>', 'override a scenario field by dotted path (repeatable)', collect, [])
  .option('--quiet', 'no progress bar and no summary')
  .option('--live', 'stream the run to a browser viewer (serves it on --port; waits for a viewer to connect)')
  .option('--port <n>', 'port of the live viewer (with --live; 0 = any free port)', '8080')
  .option('--host <host>', 'address of the live viewer (with --live; anything but loopback is reachable from other machines)', '127.0.0.1')
  .option('--allow-origin <origin>', 'with --live: a web origin (http://host:port) whose pages may connect besides the server\'s own (repeatable)', collect, [])
  .option('--checkpoint-every <s>', 'write a checkpoint every S simulated seconds (roadtwin resume continues from it)')
  .option('--replay-commands <file>', 'apply a command log of roadtwin serve on the way (its overrides first), repeating that simulation')
  .option('--no-report', 'do not write report.html at the end')
  .action(async (file: string, opts) => {
    const { runRun } = await import('./run.js');
    process.exitCode = await runRun(file, opts);
  });

program
  .command('serve')
  .description('serve simulations of a scenario to external programs over the control protocol (docs/control-api.md)')
  .argument('<scenario>', 'scenario YAML file')
  .option('--port <n>', 'TCP port, for newline-delimited JSON and the WebSocket at /control (0 = any free port)', '8765')
  .option('--host <host>', 'address to listen on (anything but loopback is reachable from other machines)', '127.0.0.1')
  .option('--out <dir>', 'directory of the command logs (default runs/serve-<timestamp>)')
  .option('--allow-origin <origin>', 'a web origin (http://host:port) whose pages may open the WebSocket besides the server\'s own (repeatable)', collect, [])
  .action(async (file: string, opts) => {
    const { runServe } = await import('./serve.js');
    process.exitCode = await runServe(file, opts);
  });

program
  .command('resume')
  .description('continue an interrupted run from its newest checkpoint (a run started with --checkpoint-every)')
  .argument('<runDir>', 'run directory')
  .option('--workers <n>', 'worker threads (default: number of cores; 1 = main thread only)')
  .option('--quiet', 'no progress bar and no summary')
  .option('--no-report', 'do not write report.html at the end')
  .action(async (dir: string, opts) => {
    const { runResume } = await import('./resume.js');
    process.exitCode = await runResume(dir, opts);
  });

program
  .command('validate')
  .description('check a scenario without running it')
  .argument('<scenario>', 'scenario YAML file')
  .option('--set <path=value>', 'override a scenario field by dotted path (repeatable)', collect, [])
  .action(async (file: string, opts: { set: string[] }) => {
    const { runValidate } = await import('./validate.js');
    process.exitCode = runValidate(file, opts.set);
  });

program
  .command('coverage')
  .description('what the perception platform sees: cameras, drones within minutes of a dock, blind spots, where the next cameras and docks add most')
  .argument('<scenario>', 'scenario YAML file (with events:)')
  .option('--set <path=value>', 'override a scenario field by dotted path (repeatable)', collect, [])
  .option('--minutes <m>', 'how soon after take-off a drone must be over a place', '5')
  .option('--cameras <n>', 'suggest the next N cameras', '5')
  .option('--docks <n>', 'suggest the next N docks', '3')
  .option('--out <file>', 'also write the figures, blind spots and suggestions as JSON')
  .action(async (file: string, opts) => {
    const { runCoverage } = await import('./coverage.js');
    process.exitCode = runCoverage(file, opts);
  });

program
  .command('schema')
  .description('print the JSON Schema of scenario files (for editor completion)')
  .action(async () => {
    const { printSchema } = await import('./schema.js');
    printSchema();
  });

program
  .command('bench')
  .description('run the benchmark suite and write bench/results/latest.json')
  .option('--profile <name>', 'short | full', 'full')
  .option('--out <file>', 'results file', 'bench/results/latest.json')
  .option('--repeat <n>', 'repetitions of each case; the best counts (default 1 for full, 3 for short)')
  .option('--check <baseline>', 'compare with a baseline file and exit 1 on a regression')
  .option('--tolerance <share>', 'allowed drop of throughput before --check fails (against the reference build; without one, of calibrated throughput)', '0.15')
  .option('--save-baseline <file>', 'write these results as the new baseline (and this commit as the build the gate races against)')
  .option('--against <build>', 'with --check: race against this build (a directory holding a built roadtwin, or a commit) instead of the baseline\'s reference')
  .option('--history <file>', 'append a summary to this NDJSON history and redraw the charts beside it (default bench/history.ndjson for the full profile)')
  .action(async (opts) => {
    const { runBench } = await import('./bench.js');
    process.exitCode = await runBench(opts);
  });

program
  .command('view')
  .description('serve the browser viewer for a run directory on localhost and print its URL')
  .argument('<runDir>', 'run directory written by `roadtwin run`')
  .option('--port <n>', 'port (0 = any free port)', '8080')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--open', 'open the URL in the default browser')
  .action(async (dir: string, opts) => {
    const { runView } = await import('./view.js');
    process.exitCode = await runView(dir, opts);
  });

const importCmd = program.command('import').description('convert a network and demand of another simulator, or a map, into a scenario');

importCmd
  .command('osm')
  .description('import an OpenStreetMap extract (.osm, .osm.gz, .osm.bz2, .osm.pbf) as a scenario YAML')
  .argument('<file>', 'OSM extract')
  .requiredOption('--out <file>', 'scenario YAML to write')
  .option('--bbox <box>', 'keep only roads inside minLon,minLat,maxLon,maxLat (degrees)')
  .option('--types <list>', 'highway classes to keep, comma-separated (default: motorway to residential; add service on request)')
  .option('--demand <spec>', 'random:RATE: RATE random trips per hour between fringe edges (seeded); or a CSV FILE of depart,from,to (OSM node ids or "lon lat")')
  .option('--rsus <where>', 'signals: an RSU at every signalised junction')
  .option('--name <name>', 'scenario name (default: from the file name)')
  .option('--duration <s>', 'simulated seconds (default 3600)')
  .option('--seed <n>', 'scenario seed, also of the random trips (default 1)')
  .option('--quiet', 'no summary and no warnings on the terminal (they are in the file header)')
  .action(async (file: string, opts) => {
    const { runImportOsm } = await import('./import-osm.js');
    process.exitCode = await runImportOsm(file, opts);
  });

importCmd
  .command('sumo')
  .description('import a SUMO scenario (.sumocfg, or a .net.xml with route and additional files) as a scenario YAML')
  .option('--config <file>', 'SUMO configuration (.sumocfg): its net, route and additional files, begin, end, step-length, seed')
  .option('--net <file>', 'SUMO network file (.net.xml, or gzipped), instead of --config')
  .option('--routes <file>', 'SUMO route file: vTypes, routes, vehicles, trips, flows (repeatable)', collect, [])
  .option('--additional <file>', 'SUMO additional file: tlLogic, busStop, inductionLoop, demand (repeatable)', collect, [])
  .requiredOption('--out <file>', 'scenario YAML to write')
  .option('--name <name>', 'scenario name (default: from the config\'s directory or the net file name)')
  .option('--duration <s>', 'simulated seconds (default: the config\'s end − begin, else last departure + 1800 s)')
  .option('--trips-file <when>', 'write the trips to a trips file (CSV) beside the YAML: auto (more than 1,000 trips), always or never', 'auto')
  .option('--quiet', 'no summary and no warnings on the terminal (they are in the file header)')
  .action(async (opts) => {
    const { runImportSumo } = await import('./import.js');
    process.exitCode = runImportSumo(opts);
  });

program
  .command('report')
  .description('write one self-contained report.html of a run directory (figures, charts, map, worst edges and junctions)')
  .argument('<runDir>', 'run directory written by `roadtwin run`')
  .option('--out <file>', 'the HTML file to write (default <runDir>/report.html)')
  .action(async (dir: string, opts: { out?: string }) => {
    const { runReport } = await import('./report.js');
    process.exitCode = runReport(dir, opts);
  });

program
  .command('compare')
  .description('name the differences between the runs\' scenarios, then print their key metrics side by side, with differences from the first in %')
  .argument('<runs...>', 'two or more run directories')
  .option('--format <kind>', 'table | markdown | csv', 'table')
  .action(async (dirs: string[], opts: { format: string }) => {
    const { runCompare } = await import('./compare.js');
    process.exitCode = runCompare(dirs, opts);
  });

program
  .command('sweep')
  .description('run a sweep: a base scenario over varied fields and seeds, locally or on a queue; write sweep.csv, summary.csv and charts')
  .argument('<sweep>', 'sweep YAML file (base, vary, seeds, metrics, set)')
  .option('--out <dir>', 'output directory (default runs/<sweep>-<timestamp>; a directory of the same sweep resumes it)')
  .option('--parallel <n>', 'runs at a time on this machine (default: number of cores)')
  .option('--queue <url>', 'put the runs on a BullMQ queue in Redis (redis://HOST:PORT) for `roadtwin worker`s')
  .option('--dry-run', 'check the sweep and list its runs without running them')
  .option('--quiet', 'no progress bar and no summary')
  .action(async (file: string, opts) => {
    const { runSweep } = await import('./sweep.js');
    process.exitCode = await runSweep(file, opts);
  });

program
  .command('worker')
  .description('take sweep runs from a BullMQ queue in Redis and run them until stopped')
  .requiredOption('--queue <url>', 'the queue\'s Redis (redis://HOST:PORT)')
  .option('--concurrency <n>', 'runs at a time (default: number of cores)')
  .option('--lock <s>', 'seconds without a heartbeat before a run of a lost worker goes back on the queue', '10')
  .option('--quiet', 'no log lines')
  .action(async (opts) => {
    const { runWorker } = await import('./worker.js');
    process.exitCode = await runWorker(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander has already printed its message (or help/version); keep its exit code
    process.exitCode = err.exitCode === 0 ? 0 : 1;
  } else {
    // An engine bug, not a user mistake: say so plainly, with the stack for the report.
    process.stderr.write(`roadtwin: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 2;
  }
}
