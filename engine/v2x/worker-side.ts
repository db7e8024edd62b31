/**
 * A worker thread's part in the communicate phase: its own copy of the read-only model (built from
 * the same inputs as the main thread's) and views of the shared per-vehicle arrays, tick lists and
 * transmitters, with which it runs the same receiver code on its ranges.
 */
import { AnnouncedHazards } from './hazards.js';
import { RadioTick } from './link.js';
import { V2xModel, type V2xModelInput } from './model.js';
import { V2xReceiver } from './receive.js';
import { V2xShared } from './shared.js';
import type { V2xWorkerBuffers } from './system.js';
import { V2xVehicles } from './vehicles.js';

export class V2xWorkerSide {
  readonly model: V2xModel;
  readonly receiver: V2xReceiver;

  constructor(input: V2xModelInput, buffers: V2xWorkerBuffers) {
    this.model = new V2xModel(input);
    const m = this.model;
    const veh = new V2xVehicles(m.R, buffers.vehicles);
    const sh = new V2xShared(m.R, buffers.shared.parts.length, m.channel.decodeRangeM, buffers.shared);
    const radio = new RadioTick(m.channel, m.seed, m.dt, buffers.radio);
    const hazards = new AnnouncedHazards(m.rsuX, m.rsuY, m.channel.decodeRangeM, buffers.hazards);
    this.receiver = new V2xReceiver(m, veh, sh, radio, hazards);
  }

  /** Takes the main thread's new buffers (after growth). */
  map(buffers: V2xWorkerBuffers): void {
    const m = this.model;
    this.receiver.veh = new V2xVehicles(m.R, buffers.vehicles);
    this.receiver.sh.map(buffers.shared);
    this.receiver.radio.map(buffers.radio);
    this.receiver.hazards.map(buffers.hazards);
    this.receiver.invalidate();
  }
}
