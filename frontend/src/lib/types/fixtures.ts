// Types of the fixtures API (issue 5; backend/api/fixtures.go): export, import, replay, forward, simulate.

export type ExportFormat = 'fixtures' | 'ndjson' | 'har';

/** What to export or replay; every field that is set must match, an empty selection is everything. */
export interface Selection {
  q?: string;
  /** VENDOR/ID */
  conversation?: string;
  /** VENDOR/ID */
  agent?: string;
  ids?: string[];
}

/** A choice of what to export, as the Export dialog offers it. */
export interface ExportScope {
  label: string;
  selection: Selection;
}

export interface ExportOptions {
  format: ExportFormat;
  scrub: boolean;
  pretty: boolean;
}

export interface ExportCount {
  deliveries: number;
  body_bytes: number;
}

export interface ImportedFile {
  name: string;
  format: string;
  imported: number;
  duplicates: number;
  duplicate_ids: string[];
  warnings: string[];
  error?: { code: string; message: string };
}

export interface ImportResult {
  files: ImportedFile[];
  imported: number;
  duplicates: number;
  failed: number;
}

/** A target's answer to a replayed or forwarded request. */
export interface TargetAnswer {
  status: number;
  status_text: string;
  duration_ms: number;
  excerpt?: string;
  excerpt_base64?: string;
  truncated: boolean;
  error: string;
}

export type ReplayPace = 'fast' | 'original';

export interface ReplayRequest extends Selection {
  to: string;
  pace: ReplayPace;
  speed: number;
}

export interface ReplayResult {
  delivery_id: string;
  method: string;
  event_type: string;
  url: string;
  started_at: string;
  skipped: boolean;
  answer: TargetAnswer;
}

export interface ReplayRun {
  id: string;
  started_at: string;
  done: boolean;
  sent: number;
  error: string;
  canceled: boolean;
  to: string;
  pace: string;
  speed: number;
  results: ReplayResult[] | null;
}

/** One recorded request to a target for a delivery (a replay or a live forward). */
export interface ReplayRecord {
  id: number;
  kind: string;
  run: string;
  target: string;
  started_at: string;
  answer: TargetAnswer;
}

export interface ForwardSettings {
  url: string;
  enabled: boolean;
}

export interface ForwardStatus extends ForwardSettings {
  forwarded: number;
  failed: number;
  dropped: number;
  queued: number;
  last_error: string;
}

export interface Scenario {
  vendor: string;
  name: string;
  description: string;
  events: string[] | null;
}

export interface SimulateResult {
  sent: { event_type: string; url: string; status: number; id?: string; error?: string }[] | null;
  count: number;
  failed: number;
  message: string;
}
