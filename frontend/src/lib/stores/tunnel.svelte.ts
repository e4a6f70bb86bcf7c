import {
  asError,
  checkTunnel,
  forgetRegistered,
  getRegistration,
  getTunnel,
  markRegistered,
  registerWithApi,
  startTunnel,
  stopTunnel,
} from '../api';
import type { LiveChatRegisterRequest, LiveChatRegisterResult, RegistrationHelp, TunnelProvider, TunnelStatus } from '../types/tunnel';
import { vendors } from './vendors.svelte';

/** The LiveChat account and Client ID (not secrets) are remembered in the browser; the token never is. */
const liveChatIdsKey = 'hooklens.livechat.ids';

export interface LiveChatIds {
  account_id: string;
  client_id: string;
}

function readIds(): LiveChatIds {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(liveChatIdsKey) ?? 'null') as Partial<LiveChatIds> | null;
    return { account_id: String(v?.account_id ?? ''), client_id: String(v?.client_id ?? '') };
  } catch {
    return { account_id: '', client_id: '' };
  }
}

export type TunnelAction = TunnelProvider | 'stop' | 'check';

/** TunnelStore holds the public URL of the receiver and the vendor registration guides. */
export class TunnelStore {
  status = $state.raw<TunnelStatus | null>(null);
  loaded = $state(false);
  error = $state<Error | null>(null);
  busy = $state<TunnelAction | null>(null);

  help = $state<Record<string, RegistrationHelp>>({});
  helpErrors = $state<Record<string, string>>({});
  registering = $state<string | null>(null);

  /** Actions chosen for the LiveChat guide and registration; null means the defaults. */
  liveChatActions = $state.raw<string[] | null>(null);
  liveChatIds = $state.raw<LiveChatIds>(readIds());
  /** In-app LiveChat registration: running, its last result, or why it could not run. */
  liveChatBusy = $state(false);
  liveChatResult = $state.raw<LiveChatRegisterResult | null>(null);
  liveChatError = $state<string | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;

  async load(): Promise<void> {
    const before = this.status?.public_url;
    try {
      this.status = await getTunnel();
      if (this.status.public_url !== before) void this.reloadHelp();
      this.error = null;
    } catch (err) {
      this.error = asError(err);
    } finally {
      this.loaded = true;
    }
  }

  private async act(action: TunnelAction, call: () => Promise<TunnelStatus>): Promise<boolean> {
    this.busy = action;
    this.error = null;
    const before = this.status?.public_url;
    try {
      this.status = await call();
      if (this.status.public_url !== before) void this.reloadHelp();
      return true;
    } catch (err) {
      this.error = asError(err);
      return false;
    } finally {
      this.busy = null;
    }
  }

  start(provider: TunnelProvider, publicUrl = ''): Promise<boolean> {
    return this.act(provider, () => startTunnel(provider === 'manual' ? { provider, public_url: publicUrl.trim() } : { provider }));
  }

  stop(): Promise<boolean> {
    return this.act('stop', stopTunnel);
  }

  /** check sends a marked probe through the public URL. */
  check(): Promise<boolean> {
    return this.act('check', checkTunnel);
  }

  /** poll refreshes the status while the Tunnel page is open (faster while cloudflared starts). */
  startPolling(): void {
    if (this.polling) return;
    this.polling = true;
    const tick = async () => {
      await this.load();
      if (!this.polling) return;
      this.timer = setTimeout(tick, this.status?.state === 'starting' ? 1000 : 5000);
    };
    void tick();
  }

  stopPolling(): void {
    this.polling = false;
    clearTimeout(this.timer);
  }

  async loadHelp(vendor: string): Promise<void> {
    try {
      const actions = vendors.get(vendor)?.api_registration ? (this.liveChatActions ?? undefined) : undefined;
      const h = await getRegistration(vendor, actions);
      this.help = { ...this.help, [vendor]: h };
      this.helpErrors = { ...this.helpErrors, [vendor]: '' };
    } catch (err) {
      this.helpErrors = { ...this.helpErrors, [vendor]: asError(err).message };
    }
  }

  private async reloadHelp(): Promise<void> {
    await Promise.all(Object.keys(this.help).map((v) => this.loadHelp(v)));
  }

  /** chooseLiveChatActions changes the actions the vendor's guide and registration use. */
  async chooseLiveChatActions(vendor: string, actions: string[]): Promise<void> {
    this.liveChatActions = actions.length ? actions : null;
    await this.loadHelp(vendor);
  }

  /**
   * registerLiveChat registers the chosen actions through the vendor's API (a vendor with
   * api_registration: LiveChat). The token goes to Hooklens for this call only; the account and
   * Client ID are remembered for next time.
   */
  async registerLiveChat(vendor: string, req: Required<Omit<LiveChatRegisterRequest, 'actions'>>): Promise<boolean> {
    const ids = { account_id: req.account_id.trim(), client_id: req.client_id.trim() };
    this.liveChatIds = ids;
    try {
      globalThis.localStorage?.setItem(liveChatIdsKey, JSON.stringify(ids));
    } catch {
      // storage full or disabled: the form is just not prefilled next time
    }
    this.liveChatBusy = true;
    this.liveChatError = null;
    this.liveChatResult = null;
    try {
      const res = await registerWithApi(vendor, { ...req, ...ids, actions: this.liveChatActions ?? undefined });
      this.liveChatResult = res;
      if (res.tunnel) this.status = res.tunnel;
      await this.loadHelp(vendor);
      return res.ok;
    } catch (err) {
      this.liveChatError = asError(err).message;
      return false;
    } finally {
      this.liveChatBusy = false;
    }
  }

  /** mark records that the vendor was registered with its current URL (forget undoes it). */
  async mark(vendor: string, registered: boolean): Promise<void> {
    this.registering = vendor;
    try {
      this.status = await (registered ? markRegistered(vendor) : forgetRegistered(vendor));
      this.helpErrors = { ...this.helpErrors, [vendor]: '' };
      await this.loadHelp(vendor);
    } catch (err) {
      this.helpErrors = { ...this.helpErrors, [vendor]: asError(err).message };
    } finally {
      this.registering = null;
    }
  }
}

export const tunnel = new TunnelStore();
