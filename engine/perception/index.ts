/** The perception platform and the city's incident loop (docs/perception.md). */
export { PerceptionSystem } from './system.js';
export { RESPONSE_SOURCE_BASE } from './response.js';
export type { CityEvent, CityEventOutcome, DetectionSource } from './city-events.js';
export { DETECTION_SOURCES, outcomeOf } from './city-events.js';
export type { PerceptionHost } from './host.js';
export { coverage, type Coverage } from './coverage.js';
export { patrolSummaries, type PatrolSummary } from './patrol.js';
export { groundReach, type Camera } from './cameras.js';
