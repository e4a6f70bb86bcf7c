// Tunnel, vendor registration help and settings (issue 6).
import type { SettingsPatch } from '../types/settings';
import type { Settings } from '../types/api';
import type { LiveChatRegisterRequest, LiveChatRegisterResult, RegistrationHelp, TunnelStart, TunnelStatus } from '../types/tunnel';
import { query, request } from './http';

const enc = encodeURIComponent;

export function getTunnel(): Promise<TunnelStatus> {
  return request<TunnelStatus>('GET', '/tunnel');
}

/** startTunnel starts cloudflared, discovers ngrok, or takes a manual public URL. */
export function startTunnel(s: TunnelStart): Promise<TunnelStatus> {
  return request<TunnelStatus>('POST', '/tunnel/start', s);
}

export function stopTunnel(): Promise<TunnelStatus> {
  return request<TunnelStatus>('POST', '/tunnel/stop');
}

/** checkTunnel sends a marked probe through the public URL and reports whether it arrived. */
export function checkTunnel(): Promise<TunnelStatus> {
  return request<TunnelStatus>('POST', '/tunnel/check');
}

export function getRegistration(vendor: string, actions?: string[]): Promise<RegistrationHelp> {
  return request<RegistrationHelp>('GET', `/registration/${enc(vendor)}` + query({ actions: actions?.join(',') }));
}

/** markRegistered records that the vendor was registered with its current URL. */
export function markRegistered(vendor: string): Promise<TunnelStatus> {
  return request<TunnelStatus>('POST', `/registration/${enc(vendor)}/done`);
}

/**
 * registerWithApi registers the webhooks through the vendor's own API (LiveChat's Configuration
 * API, for a vendor with api_registration) with the tunnel's URL and the configured secret, and
 * marks the registration done when every step succeeded.
 */
export function registerWithApi(vendor: string, req: LiveChatRegisterRequest): Promise<LiveChatRegisterResult> {
  return request<LiveChatRegisterResult>('POST', `/registration/${enc(vendor)}/register`, req);
}

export function forgetRegistered(vendor: string): Promise<TunnelStatus> {
  return request<TunnelStatus>('DELETE', `/registration/${enc(vendor)}/done`);
}

/** putSettings applies a partial update of the non-secret settings and answers them all. */
export function putSettings(p: SettingsPatch): Promise<Settings> {
  return request<Settings>('PUT', '/settings', p);
}
