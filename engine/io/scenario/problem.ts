/** One thing wrong with a scenario, located by its path in the document (e.g. ['demand', 0, 'flow', 'route', 2]). */
export interface Problem {
  path: (string | number)[];
  message: string;
}
