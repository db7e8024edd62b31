/**
 * The run directory (contract): subscribes to a world's streams and writes
 *   timeseries.csv, trips.csv, detectors.csv, events.ndjson, trace.bin/.idx,
 *   edges.csv, junctions.csv, signals.csv (place-files.ts)                    while it runs,
 *   network.json, metrics.json and, last, manifest.json                       when it ends.
 * Streaming files are written in complete records; whole files atomically. A run that stops
 * early (Ctrl-C, an error) still gets every file, and a manifest saying `complete: false`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { World } from '../../sim/world.js';
import type { RunnerUsage } from '../../parallel/parallel.js';
import { ENGINE_VERSION } from '../../core/version.js';
import { AppendableFile, csvLine } from './appendable.js';
import { writeFileAtomic } from './atomic.js';
import { metricsJson } from './metrics.js';
import { entitiesJson } from './entities-json.js';
import { v2xChannelCsv, v2xCsv } from './v2x-report.js';
import { networkBox, networkJson } from './network-json.js';
import { TraceWriter, type TraceCheckpoint } from '../trace/writer.js';
import { RECORD_BYTES, TRACE_VERSION, traceClasses } from '../trace/format.js';
import { LogisticsSystem } from '../../logistics/index.js';
import { ordersCsv } from './logistics-report.js';
import { eventsCsv } from './perception-report.js';
import { perceptionJson } from './perception-json.js';
import { addTrip, copyTripStats, emptyTripStats, type TripStats } from './trip-stats.js';
import { coverage, patrolSummaries } from '../../perception/index.js';
import { PlaceFiles, type PlaceFilesCheckpoint } from './place-files.js';
import { SCENARIO_COPY, writeScenarioCopy, type Provenance } from './provenance.js';
import { tripTableOf } from '../../spec/trip-table.js';

export interface RunMeta {
  scenarioHash: string;
  workers: number;
  workersRequested: number;
  startedAt: Date;
  scenarioFile: string;
  /** how the run was started (provenance.ts): the manifest's command, overrides, Node and platform */
  provenance?: Provenance;
}

export interface RunEnd {
  complete: boolean;
  wallSeconds: number;
  /** why a run stopped early */
  reason?: string;
  /** threads the run used, and how many phases ran on worker threads and how many in the main thread alone */
  parallel?: RunnerUsage;
}

/** How far each streaming file went at a checkpoint, and the writer's own state then. */
export interface WriterCheckpoint {
  timeseries: number;
  trips: number;
  detectors: number;
  events: number;
  trace: TraceCheckpoint;
  nextTrace: number;
  tripStats: TripStats;
  /** edges.csv, junctions.csv, signals.csv */
  places?: PlaceFilesCheckpoint;
}

export class RunWriter {
  private readonly subs: Subscription[] = [];
  private readonly timeseries: AppendableFile;
  private readonly trips: AppendableFile;
  private readonly detectors: AppendableFile;
  private readonly events: AppendableFile;
  private readonly trace: TraceWriter;
  private readonly places: PlaceFiles;
  private nextTrace: number;
  private readonly tripStats = emptyTripStats();
  /** trips.csv has a last column, tripId, when the scenario names any trip or flow */
  private readonly tripIds: boolean;

  /**
   * Opens the run directory's files: new ones, or with `resume` (a checkpoint of this directory)
   * the existing ones cut back to where the checkpoint says they went, to be continued.
   */
  constructor(
    readonly dir: string,
    private readonly world: World,
    private readonly meta: RunMeta,
    resume?: WriterCheckpoint,
  ) {
    mkdirSync(dir, { recursive: true });
    // the scenario as read, beside its results (a resumed run has it already)
    if (!resume) writeScenarioCopy(dir, world.scenario);
    this.timeseries = new AppendableFile(join(dir, 'timeseries.csv'), undefined, resume?.timeseries);
    this.trips = new AppendableFile(join(dir, 'trips.csv'), undefined, resume?.trips);
    this.detectors = new AppendableFile(join(dir, 'detectors.csv'), undefined, resume?.detectors);
    this.events = new AppendableFile(join(dir, 'events.ndjson'), undefined, resume?.events);
    // with logistics, its columns follow (orders by state, fleets out of base)
    const lg = world.logistics;
    this.tripIds = namesTrips(world.scenario);
    if (!resume) {
      this.timeseries.write(`time,active,inserted,arrived,meanSpeed,minSpeed,maxSpeed,stopped${lg ? `,${LogisticsSystem.seriesColumns.join(',')}` : ''}\n`);
      this.trips.write(`id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay${this.tripIds ? ',tripId' : ''},${TRIP_COLUMNS_ADDED}\n`);
      this.detectors.write('id,begin,end,count,flow,meanSpeed,occupancy\n');
    }
    const interval = world.scenario.output.traceInterval;
    this.trace = new TraceWriter(dir, world, interval, networkBox(world), resume?.trace);
    this.nextTrace = resume ? resume.nextTrace : interval;
    this.places = new PlaceFiles(dir, world, resume?.places);
    if (resume) Object.assign(this.tripStats, resume.tripStats);

    this.subs.push(
      world.seconds$.subscribe((s) =>
        this.timeseries.write(csvLine([s.time, s.active, s.inserted, s.arrived, s.meanSpeed, s.minSpeed, s.maxSpeed, s.stopped, ...(lg ? lg.seriesValues() : [])])),
      ),
      world.events$.subscribe((e) => {
        if (e.kind === 'detector') {
          this.detectors.write(csvLine([e.id, e.begin, e.end, e.count, e.flow, e.meanSpeed, e.occupancy]));
          return;
        }
        if (e.kind === 'arrive') {
          const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
          const row: (string | number | null)[] = [e.id, e.type, e.depart, e.time, e.routeLength, r6(e.time - e.depart), e.waitingTime, e.stops, e.departDelay];
          if (this.tripIds) row.push(e.tripId ?? null);
          row.push(e.route[0], e.route[e.route.length - 1], e.route.join(' '), e.equipped ? 1 : 0, e.timeLoss, e.warnings);
          this.trips.write(csvLine(row));
          addTrip(this.tripStats, e);
        }
        this.events.write(`${JSON.stringify(e)}\n`);
      }),
      world.ticks$.subscribe((t) => {
        if (t.time >= this.nextTrace - 1e-9) {
          this.trace.frame();
          this.nextTrace += interval;
        }
      }),
    );
    if (resume) return;
    // the vehicles placed at t = 0 go through the streams too, then the first trace frame
    world.start();
    this.trace.frame();
  }

  /** The first error writing a streaming file (a full disk…), as a message naming the file, or null. */
  get ioError(): string | null {
    for (const f of [this.timeseries, this.trips, this.detectors, this.events]) if (f.error) return `${f.path}: ${f.error.message}`;
    const t = this.trace.error;
    return t ? `trace: ${t.message}` : this.places.ioError;
  }

  /** The manifest's description of the run: what ran, with how many workers. */
  private manifestRun() {
    const w = this.world;
    const s = w.scenario;
    return { name: s.name, seed: w.seed, step: s.step, duration: s.duration, workers: this.meta.workers, workersRequested: this.meta.workersRequested };
  }

  /** The manifest's account of where the run stands: engine, scenario and the state's hash. */
  private manifestState() {
    const w = this.world;
    return { engineVersion: ENGINE_VERSION, scenarioHash: this.meta.scenarioHash, stateHash: w.stateHash(), ticks: w.ticksDone, simTime: Math.round(w.time * 1e6) / 1e6 };
  }

  /**
   * While the run goes on (at each checkpoint): a manifest saying it is not complete, how far it
   * went and how far every streaming file goes, so that a directory left by a killed run
   * describes itself. The manifest of the finished run replaces it.
   */
  progressManifest(ck: WriterCheckpoint, checkpointFile: string): void {
    const w = this.world;
    const manifest = {
      ...this.manifestRun(),
      ...this.manifestState(),
      complete: false,
      reason: `running (or stopped without finishing): files valid up to ${Math.round(w.time * 1e6) / 1e6} s; roadtwin resume continues from checkpoints/${checkpointFile}`,
      startedAt: this.meta.startedAt.toISOString(),
      checkpointAt: new Date().toISOString(),
      scenarioFile: this.meta.scenarioFile,
      ...this.meta.provenance,
      files: {
        scenario: SCENARIO_COPY,
        timeseries: { file: 'timeseries.csv', bytes: ck.timeseries },
        trips: { file: 'trips.csv', bytes: ck.trips },
        detectors: { file: 'detectors.csv', bytes: ck.detectors },
        events: { file: 'events.ndjson', bytes: ck.events },
        ...this.places.manifestFiles(ck.places),
        trace: { data: 'trace.bin', index: 'trace.idx', frames: ck.trace.frames, bytes: ck.trace.binBytes, indexBytes: ck.trace.idxBytes, signalBytes: ck.trace.signalBytes },
        checkpoint: `checkpoints/${checkpointFile}`,
      },
    };
    writeFileAtomic(join(this.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }

  /** Makes every streaming file durable and says how far each goes (taken between ticks). */
  checkpoint(): WriterCheckpoint {
    for (const f of [this.timeseries, this.trips, this.detectors, this.events]) f.sync();
    return {
      timeseries: this.timeseries.bytes,
      trips: this.trips.bytes,
      detectors: this.detectors.bytes,
      events: this.events.bytes,
      trace: this.trace.checkpoint(),
      nextTrace: this.nextTrace,
      tripStats: copyTripStats(this.tripStats),
      places: this.places.checkpoint(),
    };
  }

  /** Closes every file and writes the summary files; manifest.json last. Returns the metrics. */
  finish(end: RunEnd): Record<string, unknown> {
    const w = this.world;
    // detector periods cut short by the end of the run are reported too (their span says so)
    w.finish();
    for (const sub of this.subs) sub.unsubscribe();
    this.timeseries.close();
    this.trips.close();
    this.detectors.close();
    this.events.close();
    this.places.close();
    const trace = this.trace.close();
    writeFileAtomic(join(this.dir, 'network.json'), JSON.stringify(networkJson(w)));
    const entities = entitiesJson(w);
    if (entities) writeFileAtomic(join(this.dir, 'entities.json'), `${JSON.stringify(entities, null, 2)}\n`);
    if (w.v2x) {
      writeFileAtomic(join(this.dir, 'v2x.csv'), v2xCsv(w.v2x.stats));
      writeFileAtomic(join(this.dir, 'v2x-channel.csv'), v2xChannelCsv(w.v2x.stats));
    }
    if (w.logistics) writeFileAtomic(join(this.dir, 'orders.csv'), ordersCsv(w.logistics));
    if (w.perception) {
      writeFileAtomic(join(this.dir, 'events.csv'), eventsCsv(w.perception, w.net.edgeIds));
      // what the platform covers: cameras' lane-km and area, blind spots, drone reach in 5 minutes, 5 more cameras, the patrol routes
      writeFileAtomic(join(this.dir, 'coverage.json'), `${JSON.stringify({ ...coverage(w.net, w.perception.cameras, w.perception.fleet, 5, 5), patrols: patrolSummaries(w.perception.fleet.docks.map((d) => d.id), w.perception.patrolRoutes) })}\n`);
      // the cameras, the docks and every drone flight with where it was when (the viewer's perception layers)
      writeFileAtomic(join(this.dir, 'perception.json'), `${JSON.stringify(perceptionJson(w.perception))}\n`);
    }
    writeFileAtomic(
      join(this.dir, 'trace.json'),
      JSON.stringify(
        {
          version: TRACE_VERSION,
          format: 'roadtwin-trace',
          interval: this.trace.interval,
          frames: trace.frames,
          samples: trace.samples,
          recordBytes: RECORD_BYTES,
          bytes: trace.bytes,
          bytesPerSample: trace.samples > 0 ? Math.round((trace.bytes / trace.samples) * 100) / 100 : null,
          classes: traceClasses,
          lastTime: this.trace.lastTime,
        },
        null,
        2,
      ),
    );
    const metrics = metricsJson(w, { wallSeconds: end.wallSeconds }, this.tripStats) as Record<string, unknown>;
    writeFileAtomic(join(this.dir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    const manifest = {
      ...this.manifestRun(),
      ...(end.parallel
        ? { workers: end.parallel.workersUsed, phases: { parallelPhases: end.parallel.parallelPhases, inlinePhases: end.parallel.inlinePhases, byPhase: end.parallel.byPhase } }
        : {}),
      ...this.manifestState(),
      complete: end.complete,
      ...(end.reason ? { reason: end.reason } : {}),
      startedAt: this.meta.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      scenarioFile: this.meta.scenarioFile,
      ...this.meta.provenance,
      files: {
        scenario: SCENARIO_COPY,
        timeseries: 'timeseries.csv',
        trips: 'trips.csv',
        detectors: 'detectors.csv',
        events: 'events.ndjson',
        ...this.places.manifestFiles(),
        network: 'network.json',
        metrics: 'metrics.json',
        trace: { data: 'trace.bin', index: 'trace.idx', info: 'trace.json', frames: trace.frames, bytes: trace.bytes },
        ...(entities ? { entities: 'entities.json' } : {}),
        ...(w.v2x ? { v2x: 'v2x.csv', v2xChannel: 'v2x-channel.csv' } : {}),
        ...(w.logistics ? { orders: 'orders.csv' } : {}),
        ...(w.perception ? { cityEvents: 'events.csv', coverage: 'coverage.json', perception: 'perception.json' } : {}),
      },
    };
    writeFileAtomic(join(this.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return metrics;
  }
}

/** trips.csv's columns after departDelay and tripId: where the trip went, V2X, time lost (docs/run-directory.md) */
const TRIP_COLUMNS_ADDED = 'origin,destination,route,equipped,timeLoss,warnings';

/** Whether the scenario gives any trip or flow an id (trips.csv then carries them as tripId). */
function namesTrips(s: World['scenario']): boolean {
  return s.demand.some(
    (d) => ('trips' in d && d.trips.some((t) => t.id !== undefined)) || ('flow' in d && d.flow.id !== undefined) || ('tripsFile' in d && tripTableOf(d)?.hasId?.includes(1) === true),
  );
}
