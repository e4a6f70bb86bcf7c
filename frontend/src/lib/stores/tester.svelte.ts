import { asError, cancelTest, getTestJUnit, getTestRun, hasNativeExport, startTest } from '../api';
import { PolledRun } from './runs.svelte';
import type { Selection, TestRequest, TestRun } from '../types/fixtures';
import { copyText } from '../utils/clipboard';
import { saveBlob } from '../utils/save';

export type Signing = 'signed' | 'unsigned' | 'tampered';
export type Order = 'timeline' | 'arrival';

/** lines splits a text area into its non-empty lines. */
function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/**
 * parseMap reads "OLD=NEW" lines (or "OLD: NEW") into the id map of a test; it throws naming the
 * line that has neither.
 */
export function parseMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (!l) return;
    const m = l.match(/^([^=:]+?)\s*[=:]\s*(.*)$/);
    if (!m) throw new Error(`Id map line ${i + 1}: want OLD=NEW`);
    out[m[1]] = m[2];
  });
  return out;
}

/** TestStore runs tests of stored deliveries against a handler and keeps the last run. */
export class TestStore extends PolledRun<TestRun> {
  signing = $state<Signing>('signed');
  order = $state<Order>('timeline');
  concurrency = $state(1);
  timeoutMs = $state(0);
  retries = $state(false);
  shuffle = $state(0);
  seed = $state(0);
  duplicateRate = $state(0);
  sets = $state('');
  idMap = $state('');
  expect = $state('');

  /** What exporting the JUnit report did, in words ("" before). */
  exported = $state('');

  constructor() {
    super(getTestRun, cancelTest);
  }

  /** request is the API request of the options, for sel to target. */
  request(sel: Selection, to: string, pace: string, speed: number): TestRequest {
    return {
      ...sel,
      to,
      pace,
      speed: pace === 'original' || this.retries ? speed : 1,
      order: this.order,
      signing: this.signing,
      concurrency: this.concurrency || 1,
      timeout_ms: this.timeoutMs || 0,
      retries: this.retries,
      shuffle: this.shuffle || 0,
      seed: this.seed || 0,
      duplicate_rate: this.duplicateRate || 0,
      set: lines(this.sets),
      map: parseMap(this.idMap),
      expect: this.expect,
    };
  }

  /** start tests a selection; it resolves false when the options or the API refuse. */
  start(sel: Selection, to: string, pace: string, speed: number, pollMs = 400): Promise<boolean> {
    this.exported = '';
    return this.begin(() => startTest(this.request(sel, to, pace, speed)), pollMs);
  }

  /**
   * exportJUnit saves the finished run's JUnit report: a download in a browser; the desktop
   * window, which has no downloads, puts the XML on the clipboard.
   */
  async exportJUnit(): Promise<void> {
    const run = this.run;
    if (!run?.done) return;
    try {
      const { xml, filename } = await getTestJUnit(run.id);
      if (hasNativeExport()) {
        this.exported = (await copyText(xml)) ? 'JUnit XML copied to the clipboard' : 'The clipboard refused the JUnit XML';
      } else {
        saveBlob(new Blob([xml], { type: 'application/xml' }), filename);
        this.exported = `Saved ${filename}`;
      }
    } catch (err) {
      this.error = asError(err);
    }
  }

  clear(): void {
    if (this.running) return;
    super.clear();
    this.exported = '';
  }
}

export const tester = new TestStore();
