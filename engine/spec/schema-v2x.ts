/**
 * The scenario keys of roadside units, on-board units, the radio channel, the V2X applications
 * (`v2x`) and of the road events RSUs announce (`roadEvents`). Constants and their sources are in
 * docs/v2x.md (Messages, Channel, Applications); the defaults here are those figures.
 */
import { z } from 'zod';
import { identifier } from './ids.js';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();
const share = z.number().finite().min(0).max(1);

const unitDisk = z.strictObject({
  model: z.literal('unitDisk'),
  range: positive.default(500).describe('m'),
  loss: share.default(0).describe('probability that a packet in range is lost'),
  delayMin: nonNegative.default(2).describe('ms'),
  delayExpected: nonNegative.default(10).describe('ms; delay = min + Gamma(2,2)·0.25·(expected − min)'),
});

const threeGpp = z.strictObject({
  model: z.literal('3gpp'),
  environment: z.enum(['urban', 'highway']).default('urban').describe('TR 37.885 pathloss set'),
  frequency: positive.default(5.9).describe('carrier, GHz'),
  txPower: z.number().finite().default(23).describe('dBm'),
  antennaGain: z.number().finite().default(3).describe('dBi, each side'),
  noiseFigure: nonNegative.default(9).describe('dB'),
  bandwidth: positive.default(10).describe('MHz'),
  sinrThreshold: z.number().finite().default(5).describe('dB'),
  shadowing: z.boolean().default(true),
  subchannels: z.number().int().min(1).max(64).default(10).describe('transmissions a 100 ms slot carries without collision'),
  delay: nonNegative.default(5).describe('ms, processing and access delay of a delivered packet'),
});

const channel = z.discriminatedUnion('model', [unitDisk, threeGpp]);
export type ChannelSpec = z.infer<typeof channel>;

const sensor = z.strictObject({
  kind: z.enum(['camera', 'radar']),
  range: positive.describe('m'),
  fov: positive.max(360).describe('field of view, degrees'),
  heading: z.number().finite().default(0).describe('centre of the view, degrees counter-clockwise from east'),
});

const rsu = z
  .strictObject({
    id: identifier,
    node: identifier.optional().describe('place the unit at this node'),
    x: z.number().finite().optional(),
    y: z.number().finite().optional(),
    height: nonNegative.default(6).describe('antenna height, m (shown by the viewer; the channel models take no height)'),
    txPowerOffset: z.number().finite().min(-30).max(20).default(0).describe('transmit power relative to the channel\'s, dB (3gpp; a stronger or weaker unit)'),
    range: positive.optional().describe('this unit\'s radio range, m (unitDisk; default the channel\'s)'),
    intersections: z.array(identifier).default([]).describe('signalised nodes whose SPAT and MAP this unit sends'),
    sensors: z.array(sensor).default([]),
    name: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    const hasXY = r.x !== undefined || r.y !== undefined;
    if (r.node === undefined && (r.x === undefined || r.y === undefined))
      ctx.addIssue({ code: 'custom', message: 'give a node, or both x and y' });
    if (r.node !== undefined && hasXY) ctx.addIssue({ code: 'custom', path: ['node'], message: 'give either a node or x/y, not both' });
  });
export type RsuSpec = z.infer<typeof rsu>;

const app = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ enabled: z.boolean().default(true), ...shape });

const apps = z.strictObject({
  glosa: app({
    range: positive.default(300).describe('advice is given within this distance of the stop line, m'),
    minSpeed: positive.default(5).describe('m/s; no advice below it'),
    overLimit: nonNegative.max(0.5).default(0.1).describe('share above the speed limit the advice may reach'),
  }).optional(),
  rlvw: app({}).optional(),
  fcw: app({ ttc: positive.default(2.5).describe('warn below this time to collision, s') }).optional(),
  hlw: app({
    distance: positive.default(300).describe('equipped vehicles react within this distance of the hazard, m'),
    speed: positive.default(8.33).describe('speed they slow to when passing the hazard, m/s'),
  }).optional(),
  slw: app({}).optional(),
  evw: app({ distance: positive.default(200).describe('vehicles this far ahead of an emergency vehicle clear its lane, m') }).optional(),
});
export type V2xAppsSpec = z.infer<typeof apps>;

export const v2xSchema = z.strictObject({
  penetration: share.default(0).describe('share of each vehicle type with an on-board unit'),
  penetrationByType: z.record(z.string(), share).default({}).describe('per vehicle type, overrides penetration'),
  channel: channel.default({ model: 'unitDisk', range: 500, loss: 0, delayMin: 2, delayExpected: 10 }),
  bsm: z
    .strictObject({
      interval: positive.default(0.1).describe('s'),
      congestionControl: z.boolean().default(true),
      maxInterval: positive.default(0.6).describe('s, the interval in the densest traffic'),
      densityRadius: positive.default(100).describe('m'),
      densityThreshold: z.number().int().positive().default(25).describe('vehicles within densityRadius above which the interval stretches'),
    })
    .default({ interval: 0.1, congestionControl: true, maxInterval: 0.6, densityRadius: 100, densityThreshold: 25 }),
  rsus: z.array(rsu).default([]),
  apps: apps.default({}),
  driver: z
    .strictObject({
      reactionTime: nonNegative.default(1).describe('s between a warning and the driver acting on it'),
      compliance: share.default(1).describe('share of equipped drivers who follow advice and warnings'),
    })
    .default({ reactionTime: 1, compliance: 1 }),
});
export type V2xSpec = z.infer<typeof v2xSchema>;

export const roadEventSchema = z
  .strictObject({
    id: identifier,
    kind: z.enum(['stalledVehicle', 'roadworks', 'laneClosure', 'speedLimit']),
    edge: identifier,
    pos: nonNegative.describe('start on the edge, m'),
    length: positive.default(20).describe('m'),
    lanes: z.array(z.number().int().nonnegative()).optional().describe('blocked lanes (0 = rightmost); default: the rightmost lane'),
    speedLimit: positive.optional().describe('m/s, for kind speedLimit (and an optional limit past roadworks)'),
    begin: nonNegative.default(0),
    end: nonNegative.optional().describe('default: the end of the run'),
  })
  .superRefine((e, ctx) => {
    if (e.kind === 'speedLimit' && e.speedLimit === undefined)
      ctx.addIssue({ code: 'custom', path: ['speedLimit'], message: 'a speedLimit event needs a speedLimit' });
    if (e.end !== undefined && e.end < e.begin) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end is before begin' });
  });
export type RoadEventSpec = z.infer<typeof roadEventSchema>;
