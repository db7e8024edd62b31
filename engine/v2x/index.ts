/** Roadside units, on-board units, the radio channel and the cooperative applications (issue 5). */
export { V2xSystem, channelParams, APPS, RSI_RATE, type App } from './system.js';
export { RadioTick, RESELECTION_PERIOD } from './link.js';
export { buildRsus, sensorSees, RSU_ID_BASE, type Rsu, type RsuSensor } from './rsus.js';
export { movementTiming, signalLookup, type MovementTiming, type SignalLookup } from './spat.js';
export { V2xStats, MESSAGE_TYPES, MSG_BSM, MSG_SPAT, MSG_MAP, MSG_RSI, MSG_RSM, DISTANCE_BIN_M } from './stats.js';
export { GridIndex } from './spatial.js';
export * from './channel.js';
export * from './messages.js';
export { bsmRecord, spatRecords, mapRecord, rsiRecords, rsmRecord } from './records.js';
export type { V2xHost, V2xRecordsHost, V2xWarning, V2xEvent, V2xEmit } from './host.js';
