import { asError, getSettings, listVendors, putSecret } from '../api';
import { deliveries } from './deliveries.svelte';
import { detail } from './detail.svelte';

const knownVendors = ['livechat', 'iadvize', 'closer'];

/** SettingsStore holds which vendor secrets are configured (never their values). */
export class SettingsStore {
  vendors = $state<string[]>(knownVendors);
  configured = $state<Record<string, boolean>>({});
  loading = $state(false);
  error = $state<Error | null>(null);
  /** Vendor whose secret is being saved. */
  saving = $state<string | null>(null);
  /** Result of the last save, per vendor. */
  saved = $state<Record<string, string>>({});

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const [s, vendors] = await Promise.all([getSettings(), listVendors().catch(() => knownVendors)]);
      const secrets = s?.secrets ?? {};
      const all = [...new Set([...(vendors.length ? vendors : knownVendors), ...Object.keys(secrets)])];
      this.vendors = all;
      this.configured = Object.fromEntries(all.map((v) => [v, !!secrets[v]?.configured]));
    } catch (err) {
      this.error = asError(err);
    } finally {
      this.loading = false;
    }
  }

  /** save sets (or, with '', removes) a vendor's secret; it resolves false on failure. */
  async save(vendor: string, secret: string): Promise<boolean> {
    this.saving = vendor;
    this.error = null;
    try {
      await putSecret(vendor, secret);
      this.configured = { ...this.configured, [vendor]: secret !== '' };
      this.saved = { ...this.saved, [vendor]: secret === '' ? 'Secret removed' : 'Secret saved' };
      void this.load();
      void deliveries.refreshTop();
      void detail.reload();
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.saving = null;
    }
  }
}

export const settings = new SettingsStore();
