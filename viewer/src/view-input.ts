/** The input of a Viewer, built by main.ts from a run directory and by live-client.ts from a live hello. */
import type { TraceHeader } from '../../engine/io/trace/format.js';
import type { SignalStream } from '../../engine/io/trace/signal-stream.js';
import type { FrameSource } from './frame-source.js';
import type { NetworkJson } from './network.js';
import type { EntitiesJson } from './entities.js';

/** What the scene needs, from a run directory or from a live hello message. */
export interface ViewInput {
  name: string;
  /** a live run (drawn more cheaply: it shares the machine with the engine) */
  live: boolean;
  network: NetworkJson;
  header: TraceHeader;
  classes: string[];
  source: FrameSource;
  start: number;
  end: number;
  signals: SignalStream | null;
  entities: EntitiesJson | null;
  manifest: Record<string, unknown> | null;
  metrics: Record<string, unknown> | null;
  timeseries: string | null;
}
