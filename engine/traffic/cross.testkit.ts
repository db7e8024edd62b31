/**
 * The signal tests' junction: a four-arm junction C, one lane per arm, 300 m approaches, as
 * scenario YAML. `signal` is C's node signal, `demand` the demand list's items, `extra` any
 * top-level YAML. Written once for the controllers' tests (signal-control, signal-adaptive).
 */
export function crossYaml(signal: string, demand: string, extra: string, duration: number): string {
  return `
name: cross
seed: 5
duration: ${duration}
${extra}
network:
  nodes:
    - { id: W, x: -300, y: 0 }
    - { id: C, x: 0, y: 0, control: signal, signal: ${signal} }
    - { id: E, x: 300, y: 0 }
    - { id: S, x: 0, y: -300 }
    - { id: N, x: 0, y: 300 }
  edges:
    - { id: WC, from: W, to: C, lanes: 1, speedLimit: 13.89 }
    - { id: CE, from: C, to: E, lanes: 1, speedLimit: 13.89 }
    - { id: SC, from: S, to: C, lanes: 1, speedLimit: 13.89 }
    - { id: CN, from: C, to: N, lanes: 1, speedLimit: 13.89 }
vehicleTypes:
  car: { length: 5, maxSpeed: 33.3, accel: 2.6, decel: 4.5, headway: 1.0, minGap: 2.5 }
demand:
${demand}
`;
}
