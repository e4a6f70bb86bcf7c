import { asError, getForward, getSettings, putForward, putSecret, putSettings } from '../api';
import type { Settings } from '../types/api';
import type { ForwardSettings, ForwardStatus } from '../types/fixtures';
import type { SettingsPatch, SettingsView, ThemeSetting } from '../types/settings';
import { deliveries } from './deliveries.svelte';
import { detail } from './detail.svelte';
import { ui } from './ui.svelte';
import { vendors as registry } from './vendors.svelte';

export type Section = 'ports' | 'retention' | 'responses' | 'sync' | 'theme' | 'notifications' | 'forward';

/** SettingsStore holds the settings: which vendor secrets are configured (never their values) and the rest. */
export class SettingsStore {
  configured = $state<Record<string, boolean>>({});
  /** The vendors the backend knows, then any other with a secret setting, in that order. */
  vendors = $derived([...new Set([...registry.names, ...Object.keys(this.configured)])]);
  loading = $state(false);
  error = $state<Error | null>(null);
  /** Vendor whose secret is being saved. */
  saving = $state<string | null>(null);
  /** Result of the last save, per vendor. */
  saved = $state<Record<string, string>>({});

  /** The non-secret settings; null until they are loaded. */
  view = $state.raw<SettingsView | null>(null);
  /** Section being saved, the result of the last save and the last error, per section. */
  busy = $state<Section | null>(null);
  notice = $state<Partial<Record<Section, string>>>({});
  errors = $state<Partial<Record<Section, string>>>({});

  forward = $state.raw<ForwardStatus | null>(null);

  async load(): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const s = await getSettings();
      this.apply(s);
      this.configured = Object.fromEntries(Object.entries(s?.secrets ?? {}).map(([v, st]) => [v, !!st?.configured]));
    } catch (err) {
      this.error = asError(err);
    } finally {
      this.loading = false;
    }
  }

  private apply(s: Settings | undefined): void {
    if (!s) return;
    const { secrets: _secrets, ...rest } = s;
    void _secrets;
    this.view = rest;
    if (rest.theme && rest.theme !== ui.theme) ui.setTheme(rest.theme);
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

  /** update saves part of the settings; it resolves false (and keeps the reason) on failure. */
  async update(section: Section, patch: SettingsPatch, notice = 'Saved'): Promise<boolean> {
    this.busy = section;
    this.errors = { ...this.errors, [section]: undefined };
    this.notice = { ...this.notice, [section]: undefined };
    try {
      this.apply(await putSettings(patch));
      this.notice = { ...this.notice, [section]: notice };
      return true;
    } catch (err) {
      this.errors = { ...this.errors, [section]: asError(err).message };
      return false;
    } finally {
      this.busy = null;
    }
  }

  /** setTheme applies a theme at once and saves it with the settings once they are loaded. */
  async setTheme(t: ThemeSetting): Promise<void> {
    ui.setTheme(t);
    if (this.view) await this.update('theme', { theme: t }, 'Theme saved');
  }

  async loadForward(): Promise<void> {
    try {
      this.forward = await getForward();
    } catch (err) {
      this.errors = { ...this.errors, forward: asError(err).message };
    }
  }

  async saveForward(f: ForwardSettings): Promise<boolean> {
    this.busy = 'forward';
    this.errors = { ...this.errors, forward: undefined };
    this.notice = { ...this.notice, forward: undefined };
    try {
      this.forward = await putForward(f);
      this.notice = { ...this.notice, forward: f.enabled ? 'Forwarding on' : 'Forwarding off' };
      return true;
    } catch (err) {
      this.errors = { ...this.errors, forward: asError(err).message };
      return false;
    } finally {
      this.busy = null;
    }
  }
}

export const settings = new SettingsStore();
