// The viewer's reading of a run's logistics: orders.csv with the order events' times, drone
// missions and van tours from events.ndjson, the polylines drawn for them, the panel's rows.
import { describe, expect, it } from 'vitest';
import { LogisticsData, ORDER_ASSIGNED, ORDER_DELIVERED, ORDER_HIDDEN, ORDER_PENDING, ORDER_REJECTED, ROBOT_ID_BASE, kerbLanes, missionPolyline, tourPolyline } from './src/logistics-data.js';
import { logisticsDetails } from './src/details.js';
import { ROBOT_ID_BASE as ENGINE_ROBOT_ID_BASE } from '../engine/logistics/system.js';

const ORDERS = `id,created,mode,vehicle,assigned,pickedUp,delivered,deadline,onTime,distance,energy,status,reason,hub,x,y,weight,deliveryTime
0,10,drone,drone-3,20,20,95.5,1810,true,800,0.01,delivered,,h,100,200,1.2,85.5
1,12,van,van-0,40,,,1812,,0,0,open,,h,-50,60,8,
2,30,,,,,,1830,,0,0,rejected,weight,h,5,5,40,
3,50,robot,robot-1,60,60,,1850,,0,0,open,,h,7,8,3,
`;

const EVENTS = [
  '{"kind":"depart","time":0,"id":1,"type":"car","lane":"a_0","speed":0,"delay":0}',
  '{"kind":"order.assigned","time":20,"order":0,"hub":"h","mode":"drone","vehicle":"drone-3"}',
  '{"kind":"drone.launch","time":20,"drone":"drone-3","id":536870915,"order":0,"port":"p","altitude":100,"path":[[0,0],[60,120],[100,200]]}',
  '{"kind":"order.rejected","time":30,"order":2,"hub":"h","reason":"weight"}',
  // order 1 went to van-1 first, which missed its stop and gave it back, then to van-0
  '{"kind":"order.assigned","time":25,"order":1,"hub":"h","mode":"van","vehicle":"van-1"}',
  '{"kind":"order.returned","time":33,"order":1,"vehicle":"van-1","reason":"missedStop"}',
  '{"kind":"order.assigned","time":40,"order":1,"hub":"h","mode":"van","vehicle":"van-0"}',
  '{"kind":"van.tour","time":41,"van":"van-0","id":77,"hub":"h","stops":[{"order":1,"edge":"b","pos":20,"x":-50,"y":58}],"route":["a","b","c","a"]}',
  '{"kind":"order.assigned","time":60,"order":3,"hub":"h","mode":"robot","vehicle":"robot-1"}',
  '{"kind":"order.delivered","time":95.5,"order":0,"mode":"drone","vehicle":"drone-3","deliveryTime":85.5,"onTime":true}',
  '{"kind":"order.assigned", damaged',
].join('\n');

describe('LogisticsData', () => {
  const d = new LogisticsData(ORDERS, EVENTS);

  it('reads every order of orders.csv with its destination', () => {
    expect(d.count).toBe(4);
    expect(Array.from(d.x)).toEqual([100, -50, 5, 7]);
    expect(Array.from(d.y)).toEqual([200, 60, 5, 8]);
    expect(d.rowOf(3)).toBe(3);
    expect(d.rowOf(9)).toBe(-1);
  });

  it("gives each order's status over time: hidden before it is created, waiting, assigned (from its first assignment; waiting again while given back), delivered, rejected", () => {
    expect(d.statusAt(0, 9)).toBe(ORDER_HIDDEN);
    expect(d.statusAt(0, 10)).toBe(ORDER_PENDING);
    expect(d.statusAt(0, 20)).toBe(ORDER_ASSIGNED);
    expect(d.statusAt(0, 95)).toBe(ORDER_ASSIGNED);
    expect(d.statusAt(0, 95.5)).toBe(ORDER_DELIVERED);
    expect(d.statusAt(1, 24)).toBe(ORDER_PENDING);
    expect(d.statusAt(1, 25)).toBe(ORDER_ASSIGNED);
    // given back at 33, assigned again at 40
    expect(d.statusAt(1, 32.9)).toBe(ORDER_ASSIGNED);
    expect(d.statusAt(1, 33)).toBe(ORDER_PENDING);
    expect(d.statusAt(1, 39.9)).toBe(ORDER_PENDING);
    expect(d.statusAt(1, 40)).toBe(ORDER_ASSIGNED);
    expect(d.statusAt(2, 29)).toBe(ORDER_HIDDEN);
    expect(d.statusAt(2, 30)).toBe(ORDER_REJECTED);
    expect(d.createdBy(11)).toBe(1);
    expect(d.createdBy(50)).toBe(4);
  });

  it('without events.ndjson, uses the times orders.csv has', () => {
    const only = new LogisticsData(ORDERS, null);
    expect(only.statusAt(1, 39)).toBe(ORDER_PENDING);
    expect(only.statusAt(1, 40)).toBe(ORDER_ASSIGNED);
    expect(only.statusAt(0, 96)).toBe(ORDER_DELIVERED);
    expect(only.missions.size).toBe(0);
  });

  it('finds a drone mission by trace id at a time, and a van tour by vehicle id', () => {
    expect(d.missionAt(536870915, 19)).toBeNull();
    const m = d.missionAt(536870915, 500)!;
    expect(m.drone).toBe('drone-3');
    expect(m.path).toEqual([[0, 0], [60, 120], [100, 200]]);
    expect(d.tours.get(77)!.stops.map((s) => s.order)).toEqual([1]);
    expect(d.assignedTo('van-0', 100).map((a) => a.order)).toEqual([1]);
    expect(d.assignedTo('robot-1', 59)).toEqual([]);
  });

  it('reads nothing from an orders.csv without destinations', () => {
    expect(new LogisticsData('id,created\n0,1\n', EVENTS).count).toBe(0);
  });
});

describe('polylines', () => {
  it('a drone flies up at its port, along its path at cruise altitude and down at the destination', () => {
    const m = new LogisticsData(ORDERS, EVENTS).missionAt(536870915, 100)!;
    expect(missionPolyline(m)).toEqual([0, 0, 0, 0, 0, 100, 60, 120, 100, 100, 200, 100, 100, 200, 0]);
  });

  it("a van follows its route's kerb lanes, joined across junctions, skipping edges the network lacks", () => {
    const kerb = kerbLanes([
      { edge: 'a', index: 1, shape: [[0, 9], [10, 9]] },
      { edge: 'a', index: 0, shape: [[0, 8], [10, 8]] },
      { edge: 'b', index: 0, shape: [[10, 8], [20, 8], [20, 0]] },
    ]);
    const tour = { time: 0, id: 1, van: 'van-0', hub: 'h', stops: [], route: ['a', 'b', 'zz'] };
    expect(tourPolyline(tour, kerb)).toEqual([[0, 8], [10, 8], [20, 8], [20, 0]]);
  });
});

describe('the details panel', () => {
  const d = new LogisticsData(ORDERS, EVENTS);

  it("shows a drone's mission (port, order, waypoints, altitude) and its orders", () => {
    const html = logisticsDetails(d, 536870915, 100);
    expect(html).toContain('drone-3');
    expect(html).toContain('<span id="route-points">3</span>');
    expect(html).toContain('<span id="route-altitude">100</span>');
    expect(html).toContain('delivered at 96 s');
  });

  it("lists a van tour's stops in visiting order with their orders' status", () => {
    const html = logisticsDetails(d, 77, 100);
    expect(html).toContain('id="tour-stops"');
    expect(html.match(/<tr data-order="(\d+)">/g)).toEqual(['<tr data-order="1">']);
    expect(logisticsDetails(d, 77, 40)).toBe(''); // before the tour's vehicle entered
  });

  it('lists the orders a robot was given; nothing for a plain vehicle', () => {
    expect(logisticsDetails(d, ROBOT_ID_BASE + 1, 100)).toContain('data-order="3"');
    expect(logisticsDetails(d, 1, 100)).toBe('');
  });

  it("uses the engine's robot id range", () => {
    expect(ROBOT_ID_BASE).toBe(ENGINE_ROBOT_ID_BASE);
  });
});
