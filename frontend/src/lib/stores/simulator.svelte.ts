import { asError, listScenarios, simulate } from '../api';
import type { Scenario } from '../types/fixtures';

/** SimulatorStore sends realistic sample conversations of each vendor through the receiver. */
export class SimulatorStore {
  scenarios = $state.raw<Scenario[]>([]);
  /** Vendor being simulated ('all' for every vendor). */
  sending = $state<string | null>(null);
  message = $state<string | null>(null);
  error = $state<Error | null>(null);

  async load(): Promise<void> {
    try {
      this.scenarios = await listScenarios();
    } catch (err) {
      this.error = asError(err);
    }
  }

  /** send simulates a vendor's conversation ('all' every vendor's); it resolves false on failure. */
  async send(vendor: string, scenario = ''): Promise<boolean> {
    if (this.sending) return false;
    this.sending = vendor;
    this.message = null;
    this.error = null;
    try {
      const r = await simulate(vendor, scenario);
      this.message = r.failed ? `${r.message}; ${r.failed} failed` : r.message;
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.sending = null;
    }
  }
}

export const simulator = new SimulatorStore();
