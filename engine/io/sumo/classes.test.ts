// SUMO lane permissions → roadtwin lane classes (classes.ts).
import { describe, expect, it } from 'vitest';
import { laneClassesOf } from './classes.js';

describe('laneClassesOf', () => {
  it('no permissions, allow="all", an empty disallow: every class', () => {
    const all = ['car', 'bus', 'truck', 'van', 'emergency'];
    expect(laneClassesOf({})).toEqual(all);
    expect(laneClassesOf({ allow: ['all'] })).toEqual(all);
    expect(laneClassesOf({ disallow: ['pedestrian', 'bicycle', 'tram'] })).toEqual(all);
  });

  it('bus lanes admit what they list; a taxi does not open a lane to private cars', () => {
    expect(laneClassesOf({ allow: ['bus'] })).toEqual(['bus']);
    expect(laneClassesOf({ allow: ['bus', 'emergency', 'taxi'] })).toEqual(['bus', 'emergency']);
    expect(laneClassesOf({ disallow: ['passenger'] })).toEqual(['bus', 'truck', 'van', 'emergency']);
  });

  it('sidewalks, bike lanes and tracks admit none; allow wins over disallow', () => {
    expect(laneClassesOf({ allow: ['pedestrian'] })).toEqual([]);
    expect(laneClassesOf({ allow: ['bicycle'] })).toEqual([]);
    expect(laneClassesOf({ allow: ['tram', 'rail_urban'] })).toEqual([]);
    expect(laneClassesOf({ disallow: ['all'] })).toEqual([]);
    expect(laneClassesOf({ allow: ['delivery', 'truck'], disallow: ['truck'] })).toEqual(['truck', 'van']);
  });
});
