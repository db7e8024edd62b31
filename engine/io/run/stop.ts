/**
 * A request to stop a run early, seen by the session at the next tick boundary: Ctrl-C (SIGINT)
 * when the session was asked to listen for it, or an AbortSignal. The session never stops
 * half-way through a tick, so whatever asked gets a run directory whose files are whole.
 *
 * Listening for SIGINT replaces Node's default (end the process at once) for as long as the
 * session is open: the command line and the sweep's child runs want that, a library caller
 * embedding a run in its own process may not, hence opt-in.
 */
export class StopRequest {
  private sigint = false;
  private listening = false;
  private readonly onSigint = () => {
    this.sigint = true;
  };

  constructor(
    listenForSigint: boolean,
    private readonly signal?: AbortSignal,
  ) {
    if (!listenForSigint) return;
    process.on('SIGINT', this.onSigint);
    this.listening = true;
  }

  /** A stop was asked for (it stays asked for). */
  get requested(): boolean {
    return this.sigint || this.signal?.aborted === true;
  }

  /** Gives SIGINT back to Node's default (or to other listeners); idempotent. */
  dispose(): void {
    if (!this.listening) return;
    process.off('SIGINT', this.onSigint);
    this.listening = false;
  }
}
