/**
 * What happens between ticks, as typed records published on the world's rxjs streams. Run-file
 * writers, the progress bar, tests and (later) the live viewer subscribe; the engine knows none
 * of them.
 */

import type { DetectorReport } from '../traffic/detectors.js';
import type { ArriveEvent, DepartEvent, RefuseEvent, RemoveEvent, RerouteEvent, RoadEventEvent } from '../traffic/events.js';
import type { LogisticsEvent } from '../logistics/events.js';
import type { V2xWarning } from '../v2x/host.js';

export type { ArriveEvent, DepartEvent, RefuseEvent, RemoveEvent, RerouteEvent, RoadEventEvent, SecondSample, TickInfo } from '../traffic/events.js';

/** A V2X application warned a driver (counted once per episode: while the condition lasts, no repeat). */
export type V2xWarningEvent = V2xWarning;

/** A detector's figures for one period (see traffic/detectors.ts). */
export type DetectorEvent = { kind: 'detector' } & DetectorReport;

export type SimEvent = DepartEvent | ArriveEvent | RemoveEvent | RefuseEvent | RerouteEvent | DetectorEvent | RoadEventEvent | V2xWarningEvent | LogisticsEvent;

/**
 * An interval of edges.csv and junctions.csv has ended: its figures are in World.places until the
 * subscribers return (then the next interval starts).
 */
export interface PlaceInterval {
  begin: number;
  end: number;
}
