import { asError, getCoverage } from '../api';
import type { CoverageGap } from '../types/compare';

/** How often the coverage is read again while the app is open. */
const REFRESH_MS = 60_000;

/** CoverageStore holds the times the receiver was not receiving (the last 30 days), read every
 * minute: bands on the inbox and the timelines. */
export class CoverageStore {
  gaps = $state.raw<CoverageGap[]>([]);
  running = $state(false);
  error = $state<Error | null>(null);
  loaded = $state(false);

  private timer: ReturnType<typeof setInterval> | null = null;

  async load(): Promise<void> {
    try {
      const from = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
      const c = await getCoverage(from);
      this.gaps = c.gaps ?? [];
      this.running = c.running;
      this.error = null;
    } catch (err) {
      this.error = asError(err);
    } finally {
      this.loaded = true;
    }
  }

  start(): void {
    if (this.timer) return;
    void this.load();
    this.timer = setInterval(() => void this.load(), REFRESH_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** within returns the gaps that overlap [from, to] (ISO times; open ends when omitted), newest first. */
  within(from?: string | null, to?: string | null): CoverageGap[] {
    const f = from ? Date.parse(from) : -Infinity;
    const t = to ? Date.parse(to) : Infinity;
    return this.gaps.filter((g) => Date.parse(g.to) >= f && Date.parse(g.from) <= t).reverse();
  }

  /** between returns the gap that falls between two items of a list (ISO times, newer first in the
   * inbox, either order on a timeline), or null. */
  between(x: string, y: string | undefined): CoverageGap | null {
    if (!y) return null;
    const lo = Math.min(Date.parse(x), Date.parse(y));
    const hi = Math.max(Date.parse(x), Date.parse(y));
    return this.gaps.find((g) => Date.parse(g.from) >= lo && Date.parse(g.to) <= hi) ?? null;
  }
}

export const coverage = new CoverageStore();
