/**
 * The run directory's files about places (docs/run-directory.md): edges.csv, lanes.csv and
 * junctions.csv, one block of rows per interval of `output.intervals` (from the world's
 * PlaceStats), and signals.csv, one row per signal change. Each can be turned on or off
 * (`output.edges`, `output.lanes` (off by default), `output.junctions`, `output.signals`). Streamed in complete lines like the other CSV files;
 * a checkpoint records how far each goes, and the interval under way travels in the world's
 * checkpoint, so a resumed run writes the same bytes.
 */
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import type { World } from '../../sim/world.js';
import { CONTROL_SIGNAL } from '../../road/network.js';
import { signalTime } from '../trace/writer.js';
import { AppendableFile } from './appendable.js';
import { EDGES_HEADER, LANES_HEADER, edgeRows, laneRows } from './edges-csv.js';
import { JUNCTIONS_HEADER, junctionRows } from './junctions-csv.js';
import { SIGNALS_HEADER, SignalRows, type SignalRowsState } from './signals-csv.js';

/** How far each file went at a checkpoint (absent: the file is off), and the signal rows' state. */
export interface PlaceFilesCheckpoint {
  edges?: number;
  lanes?: number;
  junctions?: number;
  signals?: number;
  signalRows?: SignalRowsState;
}

export class PlaceFiles {
  private readonly edges: AppendableFile | null;
  private readonly lanes: AppendableFile | null;
  private readonly junctions: AppendableFile | null;
  private readonly signals: AppendableFile | null;
  private readonly signalRows: SignalRows | null;
  private readonly subs: Subscription[] = [];

  constructor(dir: string, world: World, resume?: PlaceFilesCheckpoint) {
    const o = world.scenario.output;
    const places = world.places;
    const open = (on: boolean, name: string, header: string, at: number | undefined) => {
      if (!on) return null;
      const f = new AppendableFile(join(dir, name), undefined, resume ? at : undefined);
      if (!resume) f.write(header);
      return f;
    };
    this.edges = open(o.edges && places !== undefined, 'edges.csv', EDGES_HEADER, resume?.edges);
    this.lanes = open(o.lanes && places !== undefined, 'lanes.csv', LANES_HEADER, resume?.lanes);
    this.junctions = open(o.junctions && places !== undefined, 'junctions.csv', JUNCTIONS_HEADER, resume?.junctions);
    this.signals = open(o.signals, 'signals.csv', SIGNALS_HEADER, resume?.signals);
    const net = world.net;
    if (places && (this.edges || this.lanes || this.junctions)) {
      // junctions with a signal program are graded as signalised
      const signalised = new Uint8Array(net.nodeIds.length);
      for (let n = 0; n < signalised.length; n++) if (net.nodeControl[n] === CONTROL_SIGNAL) signalised[n] = 1;
      for (const p of world.programs) signalised[p.node] = 1;
      const edges = this.edges;
      const lanes = this.lanes;
      const junctions = this.junctions;
      const writeEdge = (line: string) => edges!.write(line);
      const writeLane = (line: string) => lanes!.write(line);
      const writeJunction = (line: string) => junctions!.write(line);
      this.subs.push(
        world.intervals$.subscribe(({ begin, end }) => {
          if (edges) edgeRows(net, places, begin, end, writeEdge);
          if (lanes) laneRows(net, places, begin, end, writeLane);
          if (junctions) junctionRows(net, places, signalised, begin, end, writeJunction);
        }),
      );
    }
    const signals = this.signals;
    if (signals) {
      const rows = (this.signalRows = new SignalRows(world));
      const write = (line: string) => signals.write(line);
      if (resume?.signalRows) rows.restore(resume.signalRows);
      else rows.changes(0, write);
      this.subs.push(world.ticks$.subscribe(() => rows.changes(signalTime(world), write)));
    } else this.signalRows = null;
  }

  private get files(): AppendableFile[] {
    return [this.edges, this.lanes, this.junctions, this.signals].filter((f): f is AppendableFile => f !== null);
  }

  /** The first write error, as a message naming the file, or null. */
  get ioError(): string | null {
    for (const f of this.files) if (f.error) return `${f.path}: ${f.error.message}`;
    return null;
  }

  /** Makes the files durable and says how far each goes (between ticks). */
  checkpoint(): PlaceFilesCheckpoint {
    for (const f of this.files) f.sync();
    return {
      ...(this.edges ? { edges: this.edges.bytes } : {}),
      ...(this.lanes ? { lanes: this.lanes.bytes } : {}),
      ...(this.junctions ? { junctions: this.junctions.bytes } : {}),
      ...(this.signals ? { signals: this.signals.bytes } : {}),
      ...(this.signalRows ? { signalRows: this.signalRows.save() } : {}),
    };
  }

  /** The manifest's entries: the file names, with how far each goes at a checkpoint. */
  manifestFiles(ck?: PlaceFilesCheckpoint): Record<string, string | { file: string; bytes: number }> {
    const out: Record<string, string | { file: string; bytes: number }> = {};
    const add = (key: 'edges' | 'lanes' | 'junctions' | 'signals', f: AppendableFile | null) => {
      if (f) out[key] = ck ? { file: `${key}.csv`, bytes: ck[key] ?? f.bytes } : `${key}.csv`;
    };
    add('edges', this.edges);
    add('lanes', this.lanes);
    add('junctions', this.junctions);
    add('signals', this.signals);
    return out;
  }

  /** Stops listening and closes the files (after the world's last interval was written). */
  close(): void {
    for (const s of this.subs) s.unsubscribe();
    for (const f of this.files) f.close();
  }
}
