/**
 * The viewer's keyboard shortcuts (docs/viewer.md, "Controls"): which key does what. Keys typed
 * into a text field are the field's, not shortcuts.
 */
export interface KeyActions {
  play(): void;
  /** one trace interval forward (+1) or back (−1) */
  step(direction: 1 | -1): void;
  speed(direction: 1 | -1): void;
  cameraMode(): void;
  home(): void;
  follow(): void;
  meter(): void;
  escape(): void;
}

export function onKey(e: KeyboardEvent, a: KeyActions): void {
  if ((e.target as HTMLElement).tagName === 'INPUT' && (e.target as HTMLInputElement).type !== 'range') return;
  if (e.key === ' ') {
    a.play();
    e.preventDefault();
  } else if (e.key === 'ArrowRight') a.step(1);
  else if (e.key === 'ArrowLeft') a.step(-1);
  else if (e.key === '+' || e.key === ']') a.speed(1);
  else if (e.key === '-' || e.key === '[') a.speed(-1);
  else if (e.key === 'o') a.cameraMode();
  else if (e.key === 'h') a.home();
  else if (e.key === 'f') a.follow();
  else if (e.key === 'm') a.meter();
  else if (e.key === 'Escape') a.escape();
}
