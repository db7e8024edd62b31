/**
 * The unit of every numeric field of metrics.json, from one table, so that the `units` block the
 * file carries, the documentation (docs/run-directory.md, checked by units.test.ts) and the fields
 * cannot drift apart. Paths are dotted; `*` stands for any one key of a block keyed by name
 * (message types, applications, modes, reasons, event kinds, sources). Dimensionless figures say
 * `1` (shares, ratios) or `count`.
 */

export const METRIC_UNITS: Readonly<Record<string, string>> = {
  simTime: 's',
  ticks: 'count',
  wallSeconds: 's',
  vehicleUpdates: 'count',
  updatesPerSecond: '1/s',
  nsPerUpdate: 'ns',
  realTimeFactor: '1',
  'vehicles.inserted': 'count',
  'vehicles.arrived': 'count',
  'vehicles.active': 'count',
  'vehicles.waiting': 'count',
  'vehicles.removed': 'count',
  'vehicles.refused': 'count',
  'traffic.meanSpeed': 'm/s',
  'traffic.minGap': 'm',
  'traffic.collisions': 'count',
  'traffic.meanTravelTime': 's',
  'traffic.meanWaitingTime': 's',
  'traffic.stops': 'count',
  'traffic.totalDistance': 'm',
  'traffic.emergencyBrakes': 'count',
  'traffic.laneSwaps': 'count',
  'traffic.redLightViolations': 'count',
  'traffic.unroutableTrips': 'count',
  'traffic.fuelL': 'L',
  'traffic.co2Kg': 'kg',
  'traffic.byType.*.trips': 'count',
  'traffic.byType.*.meanTravelTime': 's',
  'traffic.byType.*.meanTimeLoss': 's',
  'traffic.byType.*.meanWaitingTime': 's',
  'traffic.byType.*.stops': 'count',
  'v2x.rsus': 'count',
  'v2x.equippedShare': '1',
  'v2x.sent.*': 'count',
  'v2x.received': 'count',
  'v2x.packetDeliveryRatio': '1',
  'v2x.meanLatencyMs': 'ms',
  'v2x.warnings.*': 'count',
  'v2x.glosaAdvised': 'count',
  'v2x.linksDecided': 'count',
  'v2x.maxRsmParticipants': 'count',
  'priority.junctions': 'count',
  'priority.requests.*': 'count',
  'priority.granted.*': 'count',
  'priority.refused': 'count',
  'priority.greenCutSeconds': 's',
  'priority.greenAddedSeconds': 's',
  'logistics.orders': 'count',
  'logistics.delivered': 'count',
  'logistics.rejected': 'count',
  'logistics.open': 'count',
  'logistics.onTimeShare': '1',
  'logistics.meanDeliveryTime': 's',
  'logistics.p95DeliveryTime': 's',
  'logistics.rejectedByReason.*': 'count',
  'logistics.byMode.*.orders': 'count',
  'logistics.byMode.*.delivered': 'count',
  'logistics.byMode.*.km': 'km',
  'logistics.byMode.*.energyKWh': 'kWh',
  'logistics.byMode.*.fleet': 'count',
  'logistics.byMode.*.utilisation': '1',
  'logistics.drones.ports': 'count',
  'logistics.drones.maxAltitude': 'm',
  'logistics.drones.minBatteryWh': 'Wh',
  'logistics.drones.maxPadShare': '1',
  'logistics.robotWaitingAtCrossings': 's',
  'perception.events': 'count',
  'perception.handled': 'count',
  'perception.dismissed': 'count',
  'perception.open': 'count',
  'perception.byKind.*.events': 'count',
  'perception.byKind.*.handled': 'count',
  'perception.byKind.*.dismissed': 'count',
  'perception.byKind.*.open': 'count',
  'perception.detected': 'count',
  'perception.detection.count': 'count',
  'perception.detection.p50': 's',
  'perception.detection.p95': 's',
  'perception.bySource.*.first': 'count',
  'perception.bySource.*.share': '1',
  'perception.bySource.*.time.count': 'count',
  'perception.bySource.*.time.p50': 's',
  'perception.bySource.*.time.p95': 's',
  'perception.confirmation.count': 'count',
  'perception.confirmation.p50': 's',
  'perception.confirmation.p95': 's',
  'perception.confirmedWithin300s': '1',
  'perception.response.count': 'count',
  'perception.response.p50': 's',
  'perception.response.p95': 's',
  'perception.clearance.count': 'count',
  'perception.clearance.p50': 's',
  'perception.clearance.p95': 's',
  'perception.drones.fleet': 'count',
  'perception.drones.missions.verify': 'count',
  'perception.drones.missions.patrol': 'count',
  'perception.drones.flightHours': 'h',
  'perception.drones.flightHoursByPurpose.verify': 'h',
  'perception.drones.flightHoursByPurpose.patrol': 'h',
  'perception.drones.patrolsSkipped': 'count',
  'perception.drones.confirmed': 'count',
  'perception.drones.dismissed': 'count',
  'perception.drones.handedOver': 'count',
  'perception.vehicleHoursLost': 'h',
};

/** The table's unit for a concrete path (`logistics.byMode.van.km` → `km`), or undefined. */
export function unitOf(path: string): string | undefined {
  const exact = METRIC_UNITS[path];
  if (exact !== undefined) return exact;
  const keys = path.split('.');
  for (const [pattern, unit] of Object.entries(METRIC_UNITS)) {
    const p = pattern.split('.');
    if (p.length === keys.length && p.every((k, i) => k === '*' || k === keys[i])) return unit;
  }
  return undefined;
}

/** The numeric leaves of a metrics object (null ones too: a figure with nothing to average), as dotted paths. */
export function numericLeaves(o: unknown, path = ''): string[] {
  if (o === null || typeof o === 'number') return path === '' ? [] : [path];
  if (typeof o !== 'object' || Array.isArray(o)) return [];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => numericLeaves(v, path === '' ? k : `${path}.${k}`));
}

/** metrics.json's `units` block: every numeric field of `metrics` that the table knows, with its unit. */
export function unitsBlock(metrics: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of numericLeaves(metrics)) {
    const u = unitOf(p);
    if (u !== undefined) out[p] = u;
  }
  return out;
}
