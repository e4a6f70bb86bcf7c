import { asError } from '../api';

/** A run the server carries out in the background (a replay, a test), as the API shows it. */
export interface BackgroundRun {
  id: string;
  done: boolean;
}

/**
 * PolledRun keeps the last background run started from the UI and polls the server for its
 * progress until it is done. Stores extend it with what they start (begin) and, in finished,
 * what they do once a run is done.
 */
export class PolledRun<R extends BackgroundRun> {
  run = $state.raw<R | null>(null);
  starting = $state(false);
  error = $state<Error | null>(null);

  running = $derived(!!this.run && !this.run.done);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fetchRun: (id: string) => Promise<R>,
    private readonly cancelRun: (id: string) => Promise<unknown>,
  ) {}

  /** begin starts a run with startRun and polls it every ms; it resolves false when the API refuses (error says why). */
  protected async begin(startRun: () => Promise<R>, ms: number): Promise<boolean> {
    this.starting = true;
    this.error = null;
    clearTimeout(this.timer);
    try {
      this.run = await startRun();
      this.poll(ms);
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.starting = false;
    }
  }

  /** finished is called once with a run that is done. */
  protected finished(_run: R): void {}

  private poll(ms: number): void {
    const run = this.run;
    if (!run) return;
    if (run.done) {
      this.finished(run);
      return;
    }
    this.timer = setTimeout(async () => {
      try {
        const next = await this.fetchRun(run.id);
        if (this.run?.id !== run.id) return;
        this.run = next;
        this.poll(ms);
      } catch (err) {
        this.error = asError(err);
      }
    }, ms);
  }

  async cancel(): Promise<void> {
    const run = this.run;
    if (!run || run.done) return;
    try {
      await this.cancelRun(run.id);
    } catch (err) {
      this.error = asError(err);
    }
  }

  /** clear forgets the last run (a dialog opens); not while one runs. */
  clear(): void {
    if (this.running) return;
    clearTimeout(this.timer);
    this.run = null;
    this.error = null;
  }
}
