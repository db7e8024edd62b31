import { describe, expect, it } from 'vitest';
import { formatProblem, ScenarioError, type LocatedProblem } from './index.js';

const p = (file: string, line: number, col: number, path: string, message: string): LocatedProblem => ({ file, line, col, path, message });

describe('ScenarioError', () => {
  it('formats each problem as FILE:LINE:COL: path: message', () => {
    expect(formatProblem(p('a.yaml', 3, 7, 'demand.0.flow.rate', 'must be greater than 0, got 0'))).toBe(
      'a.yaml:3:7: demand.0.flow.rate: must be greater than 0, got 0',
    );
    // a problem with the document as a whole has no field to name
    expect(formatProblem(p('a.yaml', 1, 1, '', 'the file is empty'))).toBe('a.yaml:1:1: the file is empty');
  });

  it('sorts by line then column, override problems last, and drops repeats', () => {
    const e = new ScenarioError([
      p('--set x=1', 1, 1, 'x', 'unknown field'),
      p('a.yaml', 9, 2, 'b', 'second'),
      p('a.yaml', 2, 5, 'a', 'first'),
      p('a.yaml', 9, 1, 'c', 'between'),
      p('a.yaml', 2, 5, 'a', 'first'),
    ]);
    expect(e.format()).toBe(
      ['a.yaml:2:5: a: first', 'a.yaml:9:1: c: between', 'a.yaml:9:2: b: second', '--set x=1:1:1: x: unknown field'].join('\n'),
    );
    expect(e.message).toBe('a.yaml:2:5: a: first (and 3 more)');
    expect(e).toBeInstanceOf(Error);
  });
});
