/**
 * The V2X figures of a run directory, formatted from the statistics (engine/v2x/stats.ts) and the
 * V2X system's counters: `v2x.csv` (PDR and latency by message type and distance), `v2x-channel.csv`
 * (channel busy ratio per second) and the `v2x` block of metrics.json.
 */
import { DISTANCE_BIN_M, MESSAGE_TYPES, type V2xStats } from '../../v2x/stats.js';
import type { V2xSystem } from '../../v2x/system.js';

/**
 * `v2x.csv`: `type,distanceFrom,distanceTo,sent,received,pdr,meanLatencyMs`, one row per type
 * and bin with at least one pair, types in MESSAGE_TYPES order, bins ascending; the open last
 * bin has distanceTo `inf`; pdr with 4 decimals, latency with 3 (empty when nothing arrived).
 */
export function v2xCsv(stats: V2xStats): string {
  const { bins, sent, received } = stats;
  const lines = ['type,distanceFrom,distanceTo,sent,received,pdr,meanLatencyMs'];
  for (let t = 0; t < MESSAGE_TYPES.length; t++) {
    for (let b = 0; b < bins; b++) {
      const c = t * bins + b;
      if (sent[c] === 0) continue;
      const to = b === bins - 1 ? 'inf' : String((b + 1) * DISTANCE_BIN_M);
      const lat = stats.meanLatencyMs(t, b);
      lines.push(`${MESSAGE_TYPES[t]},${b * DISTANCE_BIN_M},${to},${sent[c]},${received[c]},${stats.pdr(t, b).toFixed(4)},${Number.isNaN(lat) ? '' : lat.toFixed(3)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** `v2x-channel.csv`, the channel busy ratio over time: `second,busyRatio,offeredLoad` for every second up to the last with load. */
export function v2xChannelCsv(stats: V2xStats): string {
  const lines = ['second,busyRatio,offeredLoad'];
  const n = stats.seconds();
  for (let s = 0; s < n; s++) {
    const l = stats.offeredLoad(s);
    lines.push(Number.isNaN(l) ? `${s},,` : `${s},${stats.busyRatio(s).toFixed(4)},${l.toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

/** Figures for metrics.json's `v2x` block (the contract's keys first); `totalInserted` is the run's inserted vehicles. */
export function v2xMetrics(v2x: V2xSystem, totalInserted: number): object {
  const t = v2x.stats.totals();
  const r = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    rsus: v2x.rsus.length,
    equippedShare: totalInserted > 0 ? r(v2x.equippedInserted / totalInserted, 4) : 0,
    sent: { ...v2x.sent },
    received: t.received,
    packetDeliveryRatio: t.sent > 0 ? r(t.pdr, 4) : null,
    meanLatencyMs: t.received > 0 ? r(t.meanLatencyMs, 3) : null,
    warnings: { ...v2x.warnings },
    glosaAdvised: v2x.glosaAdvised,
    channel: v2x.spec.channel.model,
    linksDecided: t.sent,
    maxRsmParticipants: v2x.maxRsmParticipants,
  };
}
