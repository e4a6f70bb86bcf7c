/** ClockStore ticks so relative times ("3 min ago") stay current. */
export class ClockStore {
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;

  start(everyMs = 10_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => (this.now = Date.now()), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

export const clock = new ClockStore();
