import { asError, getHealth } from '../api';
import type { Health } from '../types/api';

/** HealthStore polls /api/v1/health for the receiver URL and the store state. */
export class HealthStore {
  health = $state<Health | null>(null);
  error = $state<Error | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private soonTimer: ReturnType<typeof setTimeout> | undefined;

  get receiverUrl(): string {
    return this.health?.receiver.url ?? '';
  }

  async refresh(): Promise<void> {
    try {
      this.health = await getHealth();
      this.error = null;
    } catch (err) {
      this.error = asError(err);
    }
  }

  /**
   * soon refreshes within `withinMs`, once for any number of calls meanwhile: live deliveries call
   * it so the delivery count follows them rather than the next poll.
   */
  soon(withinMs = 250): void {
    if (this.soonTimer !== undefined) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      void this.refresh();
    }, withinMs);
  }

  /** start polls every `everyMs` until stop. */
  start(everyMs = 5000): void {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      await this.refresh();
      if (this.running) this.timer = setTimeout(tick, everyMs);
    };
    void tick();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
  }
}

export const health = new HealthStore();
