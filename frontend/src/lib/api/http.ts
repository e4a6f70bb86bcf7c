import { ApiError, toApiError } from './errors';

const BASE = '/api/v1';

/** request calls the API and resolves with the decoded JSON answer (undefined for 204). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (body instanceof FormData) {
    init.body = body; // the browser sets the multipart boundary
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  }
  const res = await send(path, init);
  const text = await res.text();
  if (!res.ok) throw toApiError(res.status, text);
  if (res.status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('internal', `invalid JSON from ${path}`, res.status);
  }
}

/** send fetches an API path; a network failure rejects with an ApiError. */
export async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(BASE + path, { credentials: 'same-origin', ...init });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('network', `cannot reach Hooklens: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** query builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | string[] | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '' || v === false) continue;
    if (Array.isArray(v)) for (const x of v) sp.append(k, x);
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}
