import type { ErrorCode } from '../types/api';

/** ApiError is what every failed call of the api module rejects with. */
export class ApiError extends Error {
  readonly code: ErrorCode | string;
  readonly status: number;
  /** Where in a text the request sent the problem is (1-based; a pasted sample), when known. */
  readonly line?: number;
  readonly column?: number;

  constructor(code: ErrorCode | string, message: string, status = 0, at?: { line?: number; column?: number }) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    if (at?.line && at.line > 0) {
      this.line = at.line;
      this.column = at.column && at.column > 0 ? at.column : 1;
    }
  }
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 503:
      return 'unavailable';
    default:
      return 'internal';
  }
}

/** toApiError builds an ApiError from a failed response's status and body text. */
export function toApiError(status: number, text: string): ApiError {
  let code: string = codeForStatus(status);
  let message = '';
  let at: { line?: number; column?: number } | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; line?: unknown; column?: unknown } };
    if (parsed && typeof parsed === 'object' && parsed.error && typeof parsed.error === 'object') {
      if (typeof parsed.error.code === 'string' && parsed.error.code) code = parsed.error.code;
      if (typeof parsed.error.message === 'string') message = parsed.error.message;
      if (typeof parsed.error.line === 'number') {
        at = { line: parsed.error.line, column: typeof parsed.error.column === 'number' ? parsed.error.column : 1 };
      }
    }
  } catch {
    message = text.trim().slice(0, 300);
  }
  if (!message) {
    message = status === 401 ? 'not authorized: open the UI with the URL that `hooklens serve` printed (it carries ?token=)' : `request failed with status ${status}`;
  }
  return new ApiError(code, message, status, at);
}

/** asError turns anything thrown (a Wails string rejection, a TypeError from fetch) into an Error. */
export function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === 'string') return new ApiError('internal', err);
  return new ApiError('internal', String(err));
}
