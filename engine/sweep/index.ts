/** Scenario sweeps: a sweep file expanded into runs, executed locally or on a BullMQ queue, summarized. */
export { loadSweep, expandRange, type SweepSpec, type VariedField } from './load.js';
export { checkSweep, type CheckedSweep } from './check.js';
export { expandSweep, combinations, runKey, overrideText, type PlannedRun, type ParamValue } from './expand.js';
export { SweepError } from './errors.js';
export { executeRun, completedRun, removeTempRuns, RunFailure, type RunJob, type RunOutcome } from './execute-run.js';
export { runLocally, type RunCallbacks } from './local.js';
export { prepareOutput, runJobs, writeResults, type SweepOutput } from './output.js';
export { groupCombinations, sweepCsv, summaryCsv, type Combination, type RunResult } from './results.js';
export { summarize, tQuantile975, type Summary } from './stats.js';
export { metricChartSvg } from './chart.js';
export { maskRedisUrl, parseRedisUrl, probeRedis, QUEUE_NAME } from './queue/redis.js';
export { runOnQueue } from './queue/producer.js';
export { startQueueWorker, type WorkerOptions } from './queue/worker.js';
