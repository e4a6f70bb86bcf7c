import { asError, cancelReplay, getReplayRun, listReplays, startReplay } from '../api';
import type { ReplayPace, ReplayRecord, ReplayRun, Selection } from '../types/fixtures';
import { PolledRun } from './runs.svelte';

const TARGET_KEY = 'hooklens.replay.target';

function storedTarget(): string {
  try {
    return localStorage.getItem(TARGET_KEY) ?? '';
  } catch {
    return '';
  }
}

/** ReplayStore runs replays to a target URL and lists what targets answered to a delivery. */
export class ReplayStore extends PolledRun<ReplayRun> {
  target = $state(storedTarget());
  pace = $state<ReplayPace>('fast');
  speed = $state(1);

  /** The delivery whose recorded target responses are loaded. */
  recordsFor = $state<string | null>(null);
  records = $state.raw<ReplayRecord[]>([]);
  recordsLoading = $state(false);
  recordsError = $state<Error | null>(null);

  private recordsGen = 0;

  constructor() {
    super(getReplayRun, cancelReplay);
  }

  /** start replays a selection to the target; it resolves false when the API refuses. */
  start(sel: Selection, pollMs = 500): Promise<boolean> {
    try {
      localStorage.setItem(TARGET_KEY, this.target.trim());
    } catch {
      // storage may be unavailable
    }
    const to = this.target.trim();
    return this.begin(() => startReplay({ ...sel, to, pace: this.pace, speed: this.pace === 'original' ? this.speed : 1 }), pollMs);
  }

  /** finished reloads the target responses shown when the run replayed that delivery. */
  protected finished(run: ReplayRun): void {
    const id = this.recordsFor;
    if (id && (run.results ?? []).some((r) => r.delivery_id === id)) void this.loadRecords(id);
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
