// The Replay dialog's Test mode (issue 19): `hooklens test` on stored deliveries.
import type { TestRequest, TestRun } from '../types/api.gen';
import { toApiError } from './errors';
import { request, send } from './http';

const enc = encodeURIComponent;

/** startTest starts testing a selection against a handler; the run is polled with getTestRun. */
export function startTest(req: TestRequest): Promise<TestRun> {
  return request<TestRun>('POST', '/tests', req);
}

export function getTestRun(id: string): Promise<TestRun> {
  return request<TestRun>('GET', `/tests/${enc(id)}`);
}

export function cancelTest(id: string): Promise<void> {
  return request<void>('DELETE', `/tests/${enc(id)}`);
}

/** getTestJUnit returns the JUnit XML of a finished run, and the file name the API gives it. */
export async function getTestJUnit(id: string): Promise<{ xml: string; filename: string }> {
  const res = await send(`/tests/${enc(id)}/junit`, { method: 'GET' });
  const text = await res.text();
  if (!res.ok) throw toApiError(res.status, text);
  const m = res.headers.get('Content-Disposition')?.match(/filename="?([^";/\\]+)"?/i);
  return { xml: text, filename: m ? m[1] : `hooklens-${id}.xml` };
}
