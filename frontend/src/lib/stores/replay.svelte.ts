import { asError, cancelReplay, getReplayRun, listReplays, startReplay } from '../api';
import type { ReplayPace, ReplayRecord, ReplayRun, Selection } from '../types/fixtures';

const TARGET_KEY = 'hooklens.replay.target';

function storedTarget(): string {
  try {
    return localStorage.getItem(TARGET_KEY) ?? '';
  } catch {
    return '';
  }
}

/** ReplayStore runs replays to a target URL and lists what targets answered to a delivery. */
export class ReplayStore {
  target = $state(storedTarget());
  pace = $state<ReplayPace>('fast');
  speed = $state(1);
  run = $state.raw<ReplayRun | null>(null);
  starting = $state(false);
  error = $state<Error | null>(null);

  /** The delivery whose recorded target responses are loaded. */
  recordsFor = $state<string | null>(null);
  records = $state.raw<ReplayRecord[]>([]);
  recordsLoading = $state(false);
  recordsError = $state<Error | null>(null);

  running = $derived(!!this.run && !this.run.done);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private recordsGen = 0;

  /** start replays a selection to the target; it resolves false when the API refuses. */
  async start(sel: Selection, pollMs = 500): Promise<boolean> {
    this.starting = true;
    this.error = null;
    clearTimeout(this.timer);
    try {
      localStorage.setItem(TARGET_KEY, this.target.trim());
    } catch {
      // storage may be unavailable
    }
    try {
      this.run = await startReplay({ ...sel, to: this.target.trim(), pace: this.pace, speed: this.pace === 'original' ? this.speed : 1 });
      this.poll(pollMs);
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.starting = false;
    }
  }

  private poll(ms: number): void {
    const run = this.run;
    if (!run) return;
    if (run.done) {
      this.afterRun(run);
      return;
    }
    this.timer = setTimeout(async () => {
      try {
        const next = await getReplayRun(run.id);
        if (this.run?.id !== run.id) return;
        this.run = next;
        this.poll(ms);
      } catch (err) {
        this.error = asError(err);
      }
    }, ms);
  }

  private afterRun(run: ReplayRun): void {
    const id = this.recordsFor;
    if (id && (run.results ?? []).some((r) => r.delivery_id === id)) void this.loadRecords(id);
  }

  async cancel(): Promise<void> {
    const run = this.run;
    if (!run || run.done) return;
    try {
      await cancelReplay(run.id);
    } catch (err) {
      this.error = asError(err);
    }
  }

  /** clear forgets the last run (a dialog opens). */
  clear(): void {
    if (this.running) return;
    clearTimeout(this.timer);
    this.run = null;
    this.error = null;
  }

  /** loadRecords loads the target responses recorded for a delivery. */
  async loadRecords(deliveryId: string): Promise<void> {
    const gen = ++this.recordsGen;
    if (this.recordsFor !== deliveryId) this.records = [];
    this.recordsFor = deliveryId;
    this.recordsLoading = true;
    this.recordsError = null;
    try {
      const recs = await listReplays(deliveryId);
      if (gen !== this.recordsGen) return;
      this.records = recs;
    } catch (err) {
      if (gen !== this.recordsGen) return;
      this.recordsError = asError(err);
    } finally {
      if (gen === this.recordsGen) this.recordsLoading = false;
    }
  }
}

export const replay = new ReplayStore();
