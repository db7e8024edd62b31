/** The network as a few merged meshes (one per material), built once from road-geometry.ts. */
import * as THREE from 'three';
import type { Stage } from './scene.js';
import { buildRoadGeometry } from './road-geometry.js';
import type { NetworkJson } from './network.js';
import { JUNCTION, ROAD } from './palette.js';

export function flatMesh(stage: Stage, tris: number[], height: number, colour: number | THREE.Material): THREE.Mesh {
  const pos = new Float32Array((tris.length / 2) * 3);
  for (let i = 0, j = 0; i < tris.length; i += 2, j += 3) {
    pos[j] = stage.sx(tris[i]);
    pos[j + 1] = height;
    pos[j + 2] = stage.sz(tris[i + 1]);
  }
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(pos, 3));
  // both sides: the 2D triangles' winding flips with the y → −z mapping
  return new THREE.Mesh(g, typeof colour === 'number' ? new THREE.MeshBasicMaterial({ color: colour, side: THREE.DoubleSide }) : colour);
}

export interface RoadCounts {
  lanes: number;
  junctions: number;
  triangles: number;
}

export function addRoads(stage: Stage, net: NetworkJson): RoadCounts {
  const g = buildRoadGeometry(net);
  const group = new THREE.Group();
  group.name = 'roads';
  // layered a few centimetres apart so markings never z-fight with the asphalt
  group.add(flatMesh(stage, g.surface, 0, ROAD));
  group.add(flatMesh(stage, g.junctions, 0.01, JUNCTION));
  group.add(flatMesh(stage, g.whiteLines, 0.03, 0xf4f4f4));
  group.add(flatMesh(stage, g.yellowLines, 0.03, 0xf2c14e));
  group.add(flatMesh(stage, g.stopLines, 0.035, 0xffffff));
  stage.scene.add(group);
  const tri = (a: number[]) => a.length / 6;
  return { lanes: net.lanes.length, junctions: g.junctionCount, triangles: tri(g.surface) + tri(g.junctions) + tri(g.whiteLines) + tri(g.yellowLines) + tri(g.stopLines) };
}
