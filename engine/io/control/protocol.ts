/**
 * The control protocol of `roadtwin serve` (docs/control-api.md): one JSON object per request,
 * one per response, over newline-delimited JSON on a TCP socket or text frames on a WebSocket.
 * Every request is checked here against its schema before anything acts on it, so a bad one is
 * one error response naming the field (`ticks: expected a whole number ≥ 1`), never a thrown
 * exception in the server. The same schemas check each line of a command log when it is replayed.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** The WebSocket path (plain TCP needs none). */
export const CONTROL_PATH = '/control';

/** Fields a client may ask of each vehicle; each is one number per vehicle. */
export const VEHICLE_FIELDS = ['id', 'x', 'y', 'heading', 'speed', 'accel', 'lane', 'edge', 'pos', 'type', 'waiting', 'dist', 'routeIndex'] as const;
export type VehicleField = (typeof VEHICLE_FIELDS)[number];

const envId = z.number().int().min(1);
const requestId = z.union([z.number(), z.string().max(200)]).optional();
const overrides = z.array(z.string().max(1000)).max(100);

/** Which vehicles a read covers: all, those on one lane or edge, or those in an area. */
const vehicleSelection = {
  fields: z.array(z.enum(VEHICLE_FIELDS)).min(1).max(VEHICLE_FIELDS.length).default(['id', 'x', 'y', 'speed']),
  lane: z.string().max(1000).optional(),
  edge: z.string().max(1000).optional(),
  /** [xmin, ymin, xmax, ymax], metres */
  area: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  /** json: an array of numbers; f64: base64 of little-endian float64s (exact and compact) */
  encoding: z.enum(['json', 'f64']).default('json'),
};
const vehicleQuery = z.strictObject(vehicleSelection);

const programRow = z.strictObject({ state: z.string().min(1).max(10_000), duration: z.number().positive().max(1e6) });

export const requestSchemas = {
  info: z.strictObject({ cmd: z.literal('info'), id: requestId, env: envId.optional() }),
  list: z.strictObject({ cmd: z.literal('list'), id: requestId }),
  create: z.strictObject({ cmd: z.literal('create'), id: requestId, seed: z.number().int().min(0).max(2 ** 32 - 1).optional(), set: overrides.optional() }),
  reset: z.strictObject({ cmd: z.literal('reset'), id: requestId, env: envId, seed: z.number().int().min(0).max(2 ** 32 - 1).optional(), set: overrides.optional() }),
  close: z.strictObject({ cmd: z.literal('close'), id: requestId, env: envId }),
  step: z.strictObject({ cmd: z.literal('step'), id: requestId, env: envId, ticks: z.number().int().min(1).max(100_000_000).optional(), until: z.number().min(0).max(1e9).optional() }),
  vehicles: z.strictObject({ cmd: z.literal('vehicles'), id: requestId, env: envId, ...vehicleSelection }),
  signals: z.strictObject({ cmd: z.literal('signals'), id: requestId, env: envId, node: z.string().max(1000).optional() }),
  detectors: z.strictObject({ cmd: z.literal('detectors'), id: requestId, env: envId }),
  queues: z.strictObject({ cmd: z.literal('queues'), id: requestId, env: envId, node: z.string().max(1000).optional() }),
  metrics: z.strictObject({ cmd: z.literal('metrics'), id: requestId, env: envId }),
  subscribe: z.strictObject({
    cmd: z.literal('subscribe'),
    id: requestId,
    env: envId,
    vehicles: vehicleQuery.optional(),
    signals: z.boolean().optional(),
    detectors: z.boolean().optional(),
    queues: z.boolean().optional(),
    metrics: z.boolean().optional(),
  }),
  unsubscribe: z.strictObject({ cmd: z.literal('unsubscribe'), id: requestId, env: envId }),
  stateHash: z.strictObject({ cmd: z.literal('stateHash'), id: requestId, env: envId }),
  // ---- the commands that change a simulation: logged, and replayed by `roadtwin run --replay-commands`
  setSignal: z.strictObject({
    cmd: z.literal('setSignal'),
    id: requestId,
    env: envId,
    node: z.string().max(1000),
    /** one character per controlled connection (G g y r), held until released */
    state: z.string().min(1).max(10_000).optional(),
    /** an interval of the node's own program, held until released */
    phase: z.number().int().min(0).optional(),
    /** a program of its own, run from now until released */
    program: z.array(programRow).min(1).max(1000).optional(),
    /** back to the node's own program */
    release: z.literal(true).optional(),
  }),
  setSpeed: z.strictObject({ cmd: z.literal('setSpeed'), id: requestId, env: envId, vehicle: z.number().int().min(0), speed: z.number().min(0).max(100).nullable() }),
  setRoute: z.strictObject({ cmd: z.literal('setRoute'), id: requestId, env: envId, vehicle: z.number().int().min(0), edges: z.array(z.string().max(1000)).min(1).max(100_000) }),
  addVehicle: z.strictObject({
    cmd: z.literal('addVehicle'),
    id: requestId,
    env: envId,
    type: z.string().max(1000),
    /** the route as edge ids, or from/to (the shortest path) */
    edges: z.array(z.string().max(1000)).min(1).max(100_000).optional(),
    from: z.string().max(1000).optional(),
    to: z.string().max(1000).optional(),
  }),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type Request<K extends RequestName = RequestName> = z.infer<(typeof requestSchemas)[K]>;
export type VehicleQuery = z.infer<typeof vehicleQuery>;

/** The requests that change a simulation (the command log holds these, and only these). */
export const MUTATING = ['setSignal', 'setSpeed', 'setRoute', 'addVehicle'] as const;
export type MutatingName = (typeof MUTATING)[number];
export type MutatingRequest = Request<MutatingName>;
export const isMutating = (r: Request): r is MutatingRequest => (MUTATING as readonly string[]).includes(r.cmd);

/** A problem with a request: the field it is about (dotted path, '' for the whole) and why. */
export class RequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(field === '' ? message : `${field}: ${message}`);
    this.name = 'RequestError';
  }
}

/** The request in `value` (already JSON-parsed), checked; a RequestError naming the field if it is not one. */
export function parseRequest(value: unknown): Request {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestError('', 'a request is a JSON object such as {"cmd":"step","env":1}');
  const cmd = (value as { cmd?: unknown }).cmd;
  if (typeof cmd !== 'string') throw new RequestError('cmd', `expected one of ${Object.keys(requestSchemas).join(', ')}`);
  if (!Object.hasOwn(requestSchemas, cmd)) throw new RequestError('cmd', `unknown command '${cmd.slice(0, 100)}' (one of ${Object.keys(requestSchemas).join(', ')})`);
  const res = requestSchemas[cmd as RequestName].safeParse(value);
  if (!res.success) {
    const issue = res.error.issues[0];
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
    throw new RequestError(path.map(String).join('.'), issueText(issue));
  }
  return res.data as Request;
}

/** zod's issue in the words of the rest of roadtwin's messages. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k.slice(0, 100)}'`).join(', ')}`;
  return issue.message;
}

/** The JSON text of a response to request `id`: a result, or an error naming the field. */
export function okResponse(id: unknown, result: Record<string, unknown>): string {
  return JSON.stringify({ ...(id !== undefined ? { id } : {}), ok: true, ...result });
}

export function errorResponse(id: unknown, err: RequestError): string {
  return JSON.stringify({ ...(id !== undefined ? { id } : {}), ok: false, error: err.message, field: err.field });
}
