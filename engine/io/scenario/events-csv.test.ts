import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, ScenarioError } from './index.js';
import { World } from '../../sim/world.js';
import { corridorYaml } from '../../perception/corridor.testkit.js';

const scenario = (csv: string, depots = '{ id: p, kind: police, edge: ab }, { id: t, kind: tow, edge: ab }, { id: w, kind: works, edge: ab }') =>
  corridorYaml(
    `events:
  list: [ { id: listed, kind: debris, at: 5, edge: bc, pos: 10 } ]
  csv: ${csv}
perception:
  cameras: [ { id: c1, x: 500, y: 0 } ]
  responders:
    depots: [ ${depots} ]`,
    { duration: 300 },
  );

function files(csvText: string | null, depots?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rt-events-csv-'));
  if (csvText !== null) writeFileSync(join(dir, 'incidents.csv'), csvText);
  writeFileSync(join(dir, 'city.yaml'), scenario('incidents.csv', depots));
  return join(dir, 'city.yaml');
}

function problems(csvText: string | null, depots?: string): string[] {
  try {
    loadScenario(files(csvText, depots));
  } catch (e) {
    if (e instanceof ScenarioError) return e.format().split('\n');
    throw e;
  }
  return [];
}

describe('events.csv: city events from a file', () => {
  it('join the listed ones in file order, and happen in the run', () => {
    const file = files('kind,at,edge,pos,x,y,id\ncrash,20,ab,300,,,c-1\n# a comment line\ncomplaint,40,,,1500,10,\nbreakdown, 60 , bc , 5 ,,,\n');
    const { scenario: s, hash } = loadScenario(file);
    expect(s.events!.list).toEqual([
      { id: 'listed', kind: 'debris', at: 5, edge: 'bc', pos: 10 },
      { id: 'c-1', kind: 'crash', at: 20, edge: 'ab', pos: 300 },
      { kind: 'complaint', at: 40, x: 1500, y: 10 },
      { kind: 'breakdown', at: 60, edge: 'bc', pos: 5 },
    ]);
    // the rows are in the scenario's hash: another file is another scenario
    const other = files('kind,at,edge,pos\ncrash,21,ab,300\n');
    expect(loadScenario(other).hash).not.toBe(hash);
    const w = new World(s);
    w.run(100);
    expect(w.perception!.events.map((e) => e.occurred)).toEqual([5, 20, 40, 60]);
  });

  it('every bad field at its file:line:column, with its column, and nothing added', () => {
    const bad = problems(
      [
        'kind,at,edge,pos,x,y,id',
        'crash,20,ab,300,,,listed', // duplicate of the YAML's id
        'meteor,20,ab,300,,,', // unknown kind
        'crash,soon,ab,300,,,', // not a number
        'crash,20,zz,300,,,', // unknown edge
        'crash,20,ab,1200,,,', // beyond the edge
        'complaint,20,,,,,', // no place
        'crash,20,ab', // too few fields
        'crash,"20",ab,300,,,', // quoted
      ].join('\n'),
    );
    const csv = (line: number, col: number, text: RegExp) => expect(bad.some((l) => new RegExp(`incidents\\.csv:${line}:${col}: ${text.source}`).test(l))).toBe(true);
    csv(2, 19, /id: duplicate event id 'listed'/);
    csv(3, 1, /kind: unknown kind 'meteor'/);
    csv(4, 7, /at: must be a number, got 'soon'/);
    csv(5, 10, /edge: unknown edge 'zz'/);
    csv(6, 13, /pos: position 1200 m is beyond the end of edge 'ab' \(1000 m\)/);
    csv(7, 16, /x: a complaint happens at a point: give x and y/);
    csv(8, 1, /3 fields, the header \(line 1\) has 7/);
    csv(9, 7, /quoted fields are not supported/);
    expect(bad).toHaveLength(8);
  });

  it('a header without its columns, a missing file and a kind without its depot are refused', () => {
    const header = problems('kind,when\ncrash,20\n').join('\n');
    expect(header).toMatch(/incidents\.csv:1:6: when: unknown column 'when'/);
    expect(header).toMatch(/incidents\.csv:1:1: at: the header has no 'at' column/);
    expect(problems(null).join('\n')).toMatch(/city\.yaml:\d+:\d+: events\.csv: cannot read the events file '.*incidents\.csv': no such file/);
    expect(problems('kind,at,x,y\nfire,30,500,20\n').join('\n')).toMatch(/city\.yaml:\d+:\d+: perception\.responders\.depots: no depot of kind 'fire', which handles the scenario's fire events/);
    expect(problems('').join('\n')).toMatch(/incidents\.csv:1:1: the file has no header/);
  });
});
