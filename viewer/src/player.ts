/** Playback time: play/pause, speed, seeking, and the wall-clock advance between animation frames. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

export class Player {
  time: number;
  playing = false;
  speed = 1;
  private lastWall: number | null = null;

  constructor(
    public start: number,
    public end: number,
  ) {
    this.time = start;
  }

  /** Advances by the wall time since the last call (when playing); stops at the end. */
  advance(now: number): number {
    if (this.playing && this.lastWall !== null) {
      this.time += ((now - this.lastWall) / 1000) * this.speed;
      if (this.time >= this.end) {
        this.time = this.end;
        this.playing = false;
      }
    }
    this.lastWall = now;
    return this.time;
  }

  seek(t: number): void {
    this.time = Math.max(this.start, Math.min(this.end, t));
  }

  toggle(): void {
    if (!this.playing && this.time >= this.end) this.time = this.start;
    this.playing = !this.playing;
  }

  faster(step: number): void {
    const i = SPEEDS.indexOf(this.speed);
    this.speed = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + step))];
  }
}

export function formatClock(t: number): string {
  const s = Math.max(0, t);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h > 0 ? `${h}:${String(m).padStart(2, '0')}` : m}:${sec.toFixed(1).padStart(4, '0')}`;
}
