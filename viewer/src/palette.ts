/**
 * The viewer's colour scheme: one meaning per colour. Signal states own pure green, yellow and
 * red and appear only as bars at stop lines; vehicles are coloured by speed alone
 * (colour-scale.ts) with their class given by shape and size; orders are diamonds whose state is
 * their outline; RSUs and everything measured about them are cyan; hazards orange and black;
 * V2X warnings amber rings; city events hexagons filled by the stage of their loop (grey
 * unseen, then light to deep red-brown as it is reported, confirmed, attended, handled); the
 * perception platform's drones dark teal; the selection magenta. The legend (legend.ts) is built from here.
 */

/** Signal states by signals.bin code: G green, g green but yield, y yellow, r red. */
export const SIGNAL = [0x00c853, 0xb9f6ca, 0xffd600, 0xd50000] as const;
export const SIGNAL_NAMES = ['green', 'yield', 'yellow', 'red'] as const;

export const GROUND = 0xe3e6dc;
export const ROAD = 0x868c93;
export const JUNCTION = 0x8f959c;
/** the dark rim around every vehicle, so any speed colour stands out on road and ground */
export const VEHICLE_RIM = 0x1d232b;

export const RSU = 0x00acc1;
export const SENSOR_CAMERA = 0x4dd0e1;
export const SENSOR_RADAR = 0x7986cb;

/** Order outlines by ORDER_* status (logistics-data.ts); the fill is ORDER_FILL. */
export const ORDER_FILL = 0xffffff;
export const ORDER_OUTLINE: Record<number, number> = { 1: 0x1d232b, 2: 0x1e88e5, 3: 0x9e9e9e, 4: 0x795548 };
/** seconds a delivered order stays drawn, fading out */
export const DELIVERED_FADE_S = 60;

export const DRONE_PATH = 0x9575cd;
export const HUB = 0x546e7a;
export const DRONE_PORT = 0x8e24aa;
export const NO_FLY = 0xc62828;
export const HAZARD = 0xff6d00;
export const HAZARD_STRIPE = 0x1d232b;
export const WARNING = 0xffab00;
export const SELECTION = 0xff00aa;
export const PICKED_ROAD = 0xff00aa;

/**
 * City events (perception-data.ts INC_*): the hexagon's fill by stage, on a dark rim. Unseen is
 * grey (nobody knows yet), then warmer and darker along the loop; cleared goes back to pale green
 * and dismissed (nothing there) to a pale grey, both fading out.
 */
export const INCIDENT = [0x90a4ae, 0xffcc80, 0xf57c00, 0xb71c1c, 0x4e342e, 0xa5d6a7, 0xe0e0e0] as const;
export const INCIDENT_RIM = 0x1d232b;
/** the perception platform's drones, their footprints, flights and docks */
export const PLATFORM_DRONE = 0x00695c;
export const PATROL_ROUTE = 0x26a69a;
/** cells no camera sees (coverage.json) */
export const BLIND_SPOT = 0x37474f;
