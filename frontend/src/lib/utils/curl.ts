import type { DeliveryDetail } from '../types/api';

/** shellQuote quotes a string for a POSIX shell with single quotes. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// Headers that belong to the hop, not to the request: curl sets its own.
const skip = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-connection']);

/**
 * curlCommand renders a delivery as a curl command line against the receiver URL, with the
 * original headers in order and the body byte for byte (base64 bodies go through `base64 -d`).
 */
export function curlCommand(d: DeliveryDetail, receiverUrl: string): string {
  const base = receiverUrl.replace(/\/+$/, '');
  const url = base + (d.path.startsWith('/') ? d.path : `/${d.path}`) + (d.query ? `?${d.query}` : '');
  const parts = [`curl -X ${d.method || 'POST'} ${shellQuote(url)}`];
  for (const [name, value] of d.headers ?? []) {
    if (skip.has(name.toLowerCase())) continue;
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (d.body_base64) {
    return `printf %s ${shellQuote(d.body_base64)} | base64 -d | ` + [...parts, '--data-binary @-'].join(' \\\n  ');
  }
  if (d.body) parts.push(`--data-binary ${shellQuote(d.body)}`);
  return parts.join(' \\\n  ');
}

/** headersText renders headers as `Name: value` lines. */
export function headersText(headers: [string, string][] | null | undefined): string {
  return (headers ?? []).map(([n, v]) => `${n}: ${v}`).join('\n');
}
