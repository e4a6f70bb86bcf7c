import { asError, checkTunnel, forgetRegistered, getRegistration, getTunnel, isMissingRoute, markRegistered, startTunnel, stopTunnel } from '../api';
import type { RegistrationHelp, TunnelProvider, TunnelStatus } from '../types/tunnel';

export type TunnelAction = TunnelProvider | 'stop' | 'check';

/** TunnelStore holds the public URL of the receiver and the vendor registration guides. */
export class TunnelStore {
  status = $state.raw<TunnelStatus | null>(null);
  loaded = $state(false);
  error = $state<Error | null>(null);
  /** True when this build of Hooklens has no tunnel API. */
  unavailable = $state(false);
  busy = $state<TunnelAction | null>(null);

  help = $state<Record<string, RegistrationHelp>>({});
  helpErrors = $state<Record<string, string>>({});
  registering = $state<string | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;

  async load(): Promise<void> {
    const before = this.status?.public_url;
    try {
      this.status = await getTunnel();
      if (this.status.public_url !== before) void this.reloadHelp();
      this.unavailable = false;
      this.error = null;
    } catch (err) {
      this.unavailable = isMissingRoute(err);
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
      if (!this.polling || this.unavailable) return;
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
      const h = await getRegistration(vendor);
      this.help = { ...this.help, [vendor]: h };
      this.helpErrors = { ...this.helpErrors, [vendor]: '' };
    } catch (err) {
      const msg = isMissingRoute(err) ? 'this Hooklens build has no registration guide API yet' : asError(err).message;
      this.helpErrors = { ...this.helpErrors, [vendor]: msg };
    }
  }

  private async reloadHelp(): Promise<void> {
    await Promise.all(Object.keys(this.help).map((v) => this.loadHelp(v)));
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
