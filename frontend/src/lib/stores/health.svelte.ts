import { asError, getHealth } from '../api';
import type { Health } from '../types/api';

/** HealthStore polls /api/v1/health for the receiver URL and the store state. */
export class HealthStore {
  health = $state<Health | null>(null);
  error = $state<Error | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

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
  }
}

export const health = new HealthStore();
