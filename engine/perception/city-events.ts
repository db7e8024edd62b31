/**
 * One city event and what has happened to it: where it is, when it occurred, when and by what it
 * was first detected, confirmed or dismissed, the response unit sent, its arrival and the
 * clearance. Times are simulated seconds, −1 while it has not happened. The perception system
 * holds a list of these (there are tens to thousands in a run, never per vehicle), written to
 * events.csv and the checkpoint as they are.
 */

/**
 * What first detected an event (or, for `unit`, a response unit sent to verify an unconfirmed
 * report; `drone` a drone on call, `patrol` a drone on patrol).
 */
export const DETECTION_SOURCES = ['camera', 'vehicle', 'citizen', 'drone', 'unit', 'patrol'] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

export type CityEventOutcome = 'handled' | 'dismissed' | 'open';

export interface CityEvent {
  index: number;
  id: string;
  /** index into cityEventKinds */
  kind: number;
  /** false: a report of something that is not there (dismissed when someone looks) */
  real: boolean;
  /** on-road: the edge, its blocked global lanes and section [start, end]; off-road: edge −1 */
  edge: number;
  lanes: number[];
  start: number;
  end: number;
  /** where it is, m */
  x: number;
  y: number;
  occurred: number;
  /** the cameras that have it in view */
  cameras: number[];
  /** the citizen's report: its time (−1: nobody reports it) and the place given */
  reportAt: number;
  reportX: number;
  reportY: number;
  /** first detection by each source (DETECTION_SOURCES order), −1 when that source has not detected it before confirmation */
  bySource: number[];
  detected: number;
  source: DetectionSource | '';
  confirmed: number;
  dismissed: number;
  /** a drone mission was sent to verify it (its index), −1 */
  mission: number;
  /** a response unit was sent (its index), −1; its vehicle's id once on the road (the trace's id), −1 */
  unit: number;
  unitVehicle: number;
  dispatched: number;
  arrived: number;
  cleared: number;
  /** vehicle-seconds lost on its edge and the edges feeding it while it blocked */
  delay: number;
}

export function outcomeOf(e: CityEvent): CityEventOutcome {
  if (e.cleared >= 0) return 'handled';
  if (e.dismissed >= 0) return 'dismissed';
  return 'open';
}

/** Whether it still needs someone to look (detected, neither confirmed nor dismissed). */
export const unverified = (e: CityEvent): boolean => e.detected >= 0 && e.confirmed < 0 && e.dismissed < 0;

/** Whether it is blocking lanes now. */
export const blocking = (e: CityEvent): boolean => e.real && e.edge >= 0 && e.cleared < 0;
