// Where the hooklens server started by global-setup.ts listens, for the tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerInfo {
  pid: number;
  dataDir: string;
  /** Receiver base URL, e.g. http://127.0.0.1:41234 */
  receiver: string;
  /** UI URL with ?token=… */
  ui: string;
  /** UI origin without the token. */
  origin: string;
  token: string;
}

export const stateFile = join(import.meta.dirname, '..', 'test-results', 'hooklens-server.json');

export function server(): ServerInfo {
  if (process.env.HOOKLENS_E2E_SERVER) return JSON.parse(process.env.HOOKLENS_E2E_SERVER) as ServerInfo;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as ServerInfo;
}

/** send posts a request to the receiver with Node's fetch and returns its status. */
export async function send(path: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(server().receiver + path, { method: 'POST', headers, body });
  await res.arrayBuffer();
  return res.status;
}
