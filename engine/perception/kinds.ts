/**
 * The figures of each kind of city event, resolved: the defaults below, overridden field by field
 * by the scenario's `events.kinds`.
 *
 * Sources and judgement (docs/perception.md, "Kinds"):
 * - on-scene times follow the incident classes of the US MUTCD, Section 6I.01 (as used by the
 *   FHWA Traffic Incident Management Handbook, 2010, FHWA-HOP-10-013): minor incidents are
 *   cleared in under 30 min (disabled vehicles, debris, minor crashes), intermediate ones in
 *   30 min to 2 h (crashes with lanes closed), major ones in over 2 h. The values are picked
 *   inside those classes: breakdown and debris as minor, a crash at the low end of intermediate;
 * - lanes: a breakdown, debris or a parked vehicle takes the kerb lane; a crash two lanes (two
 *   vehicles and the response unit's cover);
 * - camera detection per second of view and citizens' reporting are illustrative figures
 *   (moving-object analytics see a crash within seconds, a parked vehicle only after a dwell
 *   rule of minutes; a fire's smoke is conspicuous; illegal construction needs a human look):
 *   calibrate them against a platform's logs;
 * - false reports only for the off-road kinds citizens call in (smoke that is a barbecue, a
 *   complaint about nothing visible).
 */
import { cityEventKinds, onRoadKinds, type CityEventKind, type EventsSpec, type ResponderKind } from '../spec/schema-perception.js';

export interface KindFigures {
  kind: CityEventKind;
  onRoad: boolean;
  lanes: number;
  length: number;
  onScene: number;
  responder: ResponderKind;
  cameraDay: number;
  cameraNight: number;
  reportShare: number;
  reportMedian: number;
  reportSigma: number;
  falseShare: number;
}

type Defaults = Omit<KindFigures, 'kind' | 'onRoad'>;

const DEFAULTS: Record<CityEventKind, Defaults> = {
  crash: { lanes: 2, length: 30, onScene: 1800, responder: 'police', cameraDay: 0.2, cameraNight: 0.1, reportShare: 0.9, reportMedian: 120, reportSigma: 0.6, falseShare: 0 },
  breakdown: { lanes: 1, length: 15, onScene: 900, responder: 'tow', cameraDay: 0.02, cameraNight: 0.01, reportShare: 0.4, reportMedian: 300, reportSigma: 0.8, falseShare: 0 },
  debris: { lanes: 1, length: 10, onScene: 600, responder: 'works', cameraDay: 0.01, cameraNight: 0.003, reportShare: 0.3, reportMedian: 400, reportSigma: 0.8, falseShare: 0 },
  illegalParking: { lanes: 1, length: 10, onScene: 900, responder: 'tow', cameraDay: 0.005, cameraNight: 0.003, reportShare: 0.2, reportMedian: 900, reportSigma: 0.8, falseShare: 0 },
  roadworks: { lanes: 1, length: 40, onScene: 1200, responder: 'works', cameraDay: 0.005, cameraNight: 0.002, reportShare: 0.3, reportMedian: 1200, reportSigma: 0.8, falseShare: 0 },
  fire: { lanes: 1, length: 1, onScene: 2400, responder: 'fire', cameraDay: 0.05, cameraNight: 0.05, reportShare: 0.95, reportMedian: 180, reportSigma: 0.6, falseShare: 0.2 },
  illegalConstruction: { lanes: 1, length: 1, onScene: 1800, responder: 'works', cameraDay: 0.002, cameraNight: 0, reportShare: 0.5, reportMedian: 1800, reportSigma: 0.8, falseShare: 0.15 },
  flooding: { lanes: 1, length: 1, onScene: 3600, responder: 'works', cameraDay: 0.01, cameraNight: 0.005, reportShare: 0.7, reportMedian: 600, reportSigma: 0.7, falseShare: 0.1 },
  complaint: { lanes: 1, length: 1, onScene: 900, responder: 'police', cameraDay: 0.002, cameraNight: 0.001, reportShare: 1, reportMedian: 300, reportSigma: 0.8, falseShare: 0.25 },
};

export const isOnRoad = (k: CityEventKind): boolean => (onRoadKinds as readonly string[]).includes(k);

/** Every kind's figures, in the order of cityEventKinds (an event's kind is its index here). */
export function resolveKinds(spec: EventsSpec | undefined): KindFigures[] {
  return cityEventKinds.map((kind) => {
    const over = spec?.kinds[kind] ?? {};
    const d = DEFAULTS[kind];
    const def = <K extends keyof Defaults>(k: K): Defaults[K] => (over[k] as Defaults[K] | undefined) ?? d[k];
    return {
      kind,
      onRoad: isOnRoad(kind),
      lanes: def('lanes'),
      length: def('length'),
      onScene: def('onScene'),
      responder: def('responder'),
      cameraDay: def('cameraDay'),
      cameraNight: def('cameraNight'),
      reportShare: def('reportShare'),
      reportMedian: def('reportMedian'),
      reportSigma: def('reportSigma'),
      falseShare: def('falseShare'),
    };
  });
}

export const kindIndex = (k: CityEventKind): number => cityEventKinds.indexOf(k);
