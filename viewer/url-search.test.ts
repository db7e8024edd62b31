// Unit tests of the URL state (url-state.ts) and of finding a vehicle by id (vehicle-index.ts).
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, type UrlState } from './src/url-state.js';
import { VehicleIndex } from './src/vehicle-index.js';
import { parseCsv } from './src/csv.js';

describe('URL state', () => {
  it('round-trips time, a map camera, a vehicle selection, layers and the edge measure', () => {
    const s: UrlState = { t: 912.5, cam: { mode: 'map', x: -120.5, y: 40, dist: 830 }, sel: { kind: 'vehicle', id: 123 }, layers: '+orders,-labels', roads: 'meanSpeed' };
    const h = encodeState(s);
    expect(h).toBe('t=912.5&cam=map,-120.5,40,830&sel=v%3A123&layers=%2Borders%2C-labels&roads=meanSpeed');
    expect(decodeState(`#${h}`)).toEqual(s);
  });

  it('keeps an orbit camera’s angles, and junction, edge and site selections with odd characters', () => {
    const cam = { mode: 'orbit' as const, x: 1, y: 2, dist: 300, azimuth: 0.7854, polar: 1.0472 };
    expect(decodeState(encodeState({ cam })).cam).toEqual(cam);
    for (const sel of [{ kind: 'junction', id: 'B1' }, { kind: 'edge', id: '-123#4&x' }, { kind: 'site', site: 'rsu', id: 'rsu-B1' }] as const)
      expect(decodeState(encodeState({ sel })).sel).toEqual(sel);
    // times and distances to the centimetre
    expect(encodeState({ t: 1 / 3 })).toBe('t=0.33');
  });

  it('leaves out what does not parse, so that an old or hand-edited link still opens', () => {
    expect(decodeState('#t=abc&cam=map,1,2&sel=v:x&sel2=v:1&layers=+orders')).toEqual({ layers: '+orders' });
    expect(decodeState('#cam=tilt,1,2,3&sel=zz:1&t=')).toEqual({});
    expect(decodeState('#cam=map,1,2,-5')).toEqual({});
    expect(decodeState('#sel=%E0%A4%A')).toEqual({});
    expect(decodeState('')).toEqual({});
  });
});

describe('vehicle index', () => {
  const trips = parseCsv('id,type,depart,arrival,routeLength,travelTime,waitingTime,stops,departDelay,tripId\n52,car,30,69.4,545.6,39.4,0,0,0,\n7,car,2,80,1,78,0,0,0,veh_7a\n');
  const events = [
    '{"kind":"depart","time":0.1,"id":0,"type":"car","lane":"a_0","speed":11,"delay":0,"tripId":"hefei-eb-cars.0"}',
    '{"kind":"depart","time":30,"id":52,"type":"car","lane":"b_0","speed":10,"delay":0}',
    '{"kind":"depart","time":1,"id":9,"type":"bus","lane":"c_0","speed":0,"delay":0,"tripId":"52"}',
    'not json "depart"',
    '{"kind":"reroute","time":40.2,"id":52,"lane":"b_0","via":"d"}',
    '{"kind":"arrive","time":90.5,"id":0}',
  ].join('\n');

  it('finds a vehicle by trip id (trips.csv or its depart event) or by trace id, with its departure, arrival and reroutes', () => {
    const ix = new VehicleIndex();
    ix.addTrips(trips);
    ix.addEvents(events);
    expect(ix.size).toBe(4);
    expect(ix.find('hefei-eb-cars.0')).toEqual({ id: 0, tripId: 'hefei-eb-cars.0', depart: 0.1, arrival: 90.5, reroutes: [] });
    expect(ix.find(' veh_7a ')).toEqual({ id: 7, tripId: 'veh_7a', depart: 2, arrival: 80, reroutes: [] });
    // a trip id wins over a trace id of the same spelling; '#52' is always the trace id
    expect(ix.find('52')?.id).toBe(9);
    expect(ix.find('#52')).toEqual({ id: 52, tripId: null, depart: 30, arrival: 69.4, reroutes: [{ time: 40.2, lane: 'b_0', via: 'd' }] });
    expect(ix.find('#9')?.arrival).toBeNaN();
    expect(ix.find('nobody')).toBeNull();
    expect(ix.find('')).toBeNull();
  });
});
