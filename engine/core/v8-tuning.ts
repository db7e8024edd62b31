/**
 * V8's inlining budget, raised for the hot loop. TurboFan inlines calls into a function until the
 * inlined bytecode adds up to `max-inlined-bytecode-size-cumulative` (920 bytes by default); the
 * decide phase is one large function with many small helpers (the IDM term, the safety envelope,
 * arrival times), and with the default budget most of their call sites stay calls. A call that is
 * not inlined passes its arguments and result as tagged values, so every fractional double
 * crossing it is boxed in a fresh heap number: on SUMO's 16 × 16 grid at step 1 the tick
 * allocated 730 MB for 1.86 M vehicle updates, 490 MB with the budget at 4,000 (sampling heap
 * profile, docs/benchmarks.md). The flag changes which code is inlined, never what it computes
 * (JavaScript arithmetic is IEEE double either way), so results stay bit for bit the same.
 *
 * A second limit stops inlining of any one function whose bytecode is over
 * `max-inlined-bytecode-size` (460 bytes by default). The safety envelope (kinematics.ts
 * safeAccel, 470 bytes of bytecode) was just over it, so no caller ever inlined it and each of its
 * calls boxed six doubles and its result: on the same grid at step 1, with a warm JIT, 147 bytes
 * of garbage per vehicle update with the default limit and 81 with INLINE_MAX_FUNCTION at 600,
 * and 10 % more updates per second (2026-12-08, docs/benchmarks.md "Step 1: where the time goes").
 *
 * Process-wide and idempotent; set by the first World, before its phases are hot (worker threads
 * started later share it).
 */
import { setFlagsFromString } from 'node:v8';

export const INLINE_BUDGET = 4000;
/** The largest function, in bytes of bytecode, that TurboFan inlines (V8's default: 460). */
export const INLINE_MAX_FUNCTION = 600;

let tuned = false;

export function tuneV8ForHotLoop(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${INLINE_BUDGET}`);
  setFlagsFromString(`--max-inlined-bytecode-size=${INLINE_MAX_FUNCTION}`);
}
