/**
 * Junction clustering. A real junction is often several OSM nodes: a dual carriageway crossing
 * a street meets it at two or four nodes a few metres apart, and signals stand a little before
 * the crossing. Rule: junction nodes (where kept ways meet or end) closer than JOIN_RADIUS to
 * another junction node become one junction, transitively (union-find over a grid of cells of
 * that size); the junction lies at their mean position. The radius is netconvert's
 * `--junctions.join-dist` default, 10 m.
 */
export const JOIN_RADIUS = 10;

export interface Clustering {
  /** cluster index of each junction node, by OSM node id */
  of: Map<number, number>;
  /** member OSM node ids of each cluster, ascending */
  members: number[][];
}

export function clusterJunctions(ids: readonly number[], xy: (id: number) => [number, number], radius = JOIN_RADIUS): Clustering {
  const sorted = [...ids].sort((a, b) => a - b);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const cells = new Map<string, number[]>();
  const pos = sorted.map(xy);
  pos.forEach(([x, y], i) => {
    const key = `${Math.floor(x / radius)},${Math.floor(y / radius)}`;
    const l = cells.get(key);
    if (l) l.push(i);
    else cells.set(key, [i]);
  });
  pos.forEach(([x, y], i) => {
    const cx = Math.floor(x / radius);
    const cy = Math.floor(y / radius);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const j of cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          if (j <= i) continue;
          if (Math.hypot(pos[j][0] - x, pos[j][1] - y) < radius) {
            const a = find(i);
            const b = find(j);
            // the smaller index is the root, so clusters do not depend on visiting order
            if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
          }
        }
  });
  const byRoot = new Map<number, number>();
  const members: number[][] = [];
  const of = new Map<number, number>();
  sorted.forEach((id, i) => {
    const r = find(i);
    let c = byRoot.get(r);
    if (c === undefined) {
      c = members.length;
      byRoot.set(r, c);
      members.push([]);
    }
    members[c].push(id);
    of.set(id, c);
  });
  return { of, members };
}

/**
 * The clustering with each group of clusters made one cluster (members ascending), and where
 * each old cluster went. A new cluster takes the place of its group's first old cluster, so
 * the order stays that of the smallest member node id.
 */
export function mergeClusters(c: Clustering, groups: readonly (readonly number[])[]): { clustering: Clustering; moved: (old: number) => number } {
  const head = c.members.map((_, i) => i);
  for (const g of groups) {
    const h = Math.min(...g);
    for (const x of g) head[x] = h;
  }
  const index = new Map<number, number>();
  const members: number[][] = [];
  c.members.forEach((m, i) => {
    let k = index.get(head[i]);
    if (k === undefined) {
      k = members.length;
      index.set(head[i], k);
      members.push([]);
    }
    members[k].push(...m);
  });
  for (const m of members) m.sort((a, b) => a - b);
  const of = new Map<number, number>();
  members.forEach((m, k) => m.forEach((id) => of.set(id, k)));
  return { clustering: { of, members }, moved: (old) => index.get(head[old])! };
}
