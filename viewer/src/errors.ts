/** The page's error display: a run that cannot be shown says why, in the page, never a blank screen. */

let shown: string | null = null;

export function showError(message: string): void {
  if (shown !== null) return; // the first error is the cause; later ones are consequences
  shown = message;
  if (window.__roadtwin) window.__roadtwin.error = message;
  const el = document.getElementById('error');
  const text = document.getElementById('error-text');
  if (el && text) {
    text.textContent = message;
    el.hidden = false;
  }
  document.getElementById('loading')?.setAttribute('hidden', '');
  console.error(`roadtwin viewer: ${message}`);
}

export function currentError(): string | null {
  return shown;
}

/** Catches what nothing else caught, so even a bug ends in a message. */
export function installGlobalErrorHandlers(): void {
  window.addEventListener('error', (e) => showError(e.message || 'unexpected error'));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason instanceof Error ? e.reason.message : String(e.reason)));
}
