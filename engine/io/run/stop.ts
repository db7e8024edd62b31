/**
 * A request to stop a run early, seen by the session at the next tick boundary: Ctrl-C (SIGINT)
 * or SIGTERM (what `kill`, systemd and container runtimes send) when the session was asked to
 * listen for them, or an AbortSignal. The session never stops half-way through a tick, so
 * whatever asked gets a run directory whose files are whole.
 *
 * Listening replaces Node's default (end the process at once) for as long as the session is
 * open: the command line and the sweep's child runs want that, a library caller embedding a run
 * in its own process may not, hence opt-in.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

export class StopRequest {
  private received: StopSignal | null = null;
  private listening = false;
  private readonly onSigint = () => this.note('SIGINT');
  private readonly onSigterm = () => this.note('SIGTERM');

  constructor(
    listenForSignals: boolean,
    private readonly signal?: AbortSignal,
  ) {
    if (!listenForSignals) return;
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm);
    this.listening = true;
  }

  private note(sig: StopSignal): void {
    // (the first signal is the one the run reports)
    if (this.received === null) this.received = sig;
  }

  /** A stop was asked for (it stays asked for). */
  get requested(): boolean {
    return this.received !== null || this.signal?.aborted === true;
  }

  /** The signal that asked, if one did (an abort by a library caller counts as SIGINT, its Ctrl-C). */
  get by(): StopSignal {
    return this.received ?? 'SIGINT';
  }

  /** Gives SIGINT and SIGTERM back to Node's default (or to other listeners); idempotent. */
  dispose(): void {
    if (!this.listening) return;
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
    this.listening = false;
  }
}
