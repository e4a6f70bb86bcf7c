const KEY = 'hooklens.panes';

/** The list's share of the split, as a fraction of its width, kept between these bounds. */
export const MIN_FRACTION = 0.2;
export const MAX_FRACTION = 0.8;

function stored(): Record<string, number> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    if (v && typeof v === 'object') {
      const out: Record<string, number> = {};
      for (const [k, f] of Object.entries(v)) if (typeof f === 'number' && Number.isFinite(f)) out[k] = clampFraction(f);
      return out;
    }
  } catch {
    // storage may be unavailable or hold something else
  }
  return {};
}

export function clampFraction(f: number): number {
  return Math.min(MAX_FRACTION, Math.max(MIN_FRACTION, f));
}

/** PanesStore remembers, per view, how much of the list/detail split the list takes. */
export class PanesStore {
  private fractions = $state<Record<string, number>>(stored());

  /** fraction returns the list's share chosen for a view, or null if none was chosen. */
  fraction(view: string): number | null {
    return this.fractions[view] ?? null;
  }

  /** set remembers the list's share for a view (clamped). */
  set(view: string, f: number): void {
    this.fractions = { ...this.fractions, [view]: clampFraction(f) };
    this.save();
  }

  /** reset forgets the view's choice, so the default applies again. */
  reset(view: string): void {
    const next = { ...this.fractions };
    delete next[view];
    this.fractions = next;
    this.save();
  }

  private save(): void {
    try {
      localStorage.setItem(KEY, JSON.stringify(this.fractions));
    } catch {
      // ignore: the choice lasts for this session
    }
  }
}

export const panes = new PanesStore();
