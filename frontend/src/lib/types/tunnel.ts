// Types of the tunnel and registration API (issue 6; backend/tunnel, backend/registration).

export type TunnelProvider = 'cloudflared' | 'ngrok' | 'manual';
export type TunnelHealth = 'reachable' | 'unreachable' | 'url_changed' | 'unknown' | '';
export type TunnelState = 'off' | 'starting' | 'running' | 'failed' | '';

export interface Registration {
  url: string;
  at: string;
  /** True when url is the vendor URL of the current public URL. */
  current: boolean;
}

export interface TunnelStatus {
  provider: TunnelProvider | '';
  public_url: string;
  health: TunnelHealth;
  state: TunnelState;
  available: { cloudflared: boolean; ngrok: boolean };
  error: string;
  checked_at: string | null;
  receiver_url: string;
  /** URL to register, per vendor (empty without a public URL). */
  urls: Record<string, string> | null;
  registered: Record<string, Registration> | null;
  /** Vendors registered with a URL that is not the current one. */
  changed: string[] | null;
}

export interface TunnelStart {
  provider: TunnelProvider;
  public_url?: string;
}

export interface RegistrationStep {
  title: string;
  text: string;
  code?: string;
}

export interface RegistrationHelp {
  vendor: string;
  /** The exact URL to register, '' when no public URL is known. */
  url: string;
  /** The whole guide as text, to copy in one go. */
  text: string;
  steps: RegistrationStep[] | null;
  actions?: string[] | null;
  /** Every action LiveChat accepts, to choose from (LiveChat only). */
  known_actions?: string[] | null;
  registered: Registration | null;
}

/** What POST /registration/livechat/register needs; the token is used for that call only. */
export interface LiveChatRegisterRequest {
  account_id: string;
  token: string;
  client_id: string;
  /** Omitted or empty: the default actions. */
  actions?: string[];
}

export type RegisterOutcome = 'registered' | 'kept' | 'removed' | 'enabled' | 'failed';

export interface RegisterStep {
  /** A webhook action, or enable_license_webhooks. */
  action: string;
  outcome: RegisterOutcome;
  webhook_id?: string;
  /** The URL of a removed (stale) webhook. */
  url?: string;
  error?: string;
}

export interface LiveChatRegisterResult {
  url: string;
  actions: string[];
  steps: RegisterStep[] | null;
  /** True when no step failed; the registration is then marked done. */
  ok: boolean;
  tunnel: TunnelStatus;
  /** Why a successful registration could not be recorded. */
  mark_error?: string;
}
