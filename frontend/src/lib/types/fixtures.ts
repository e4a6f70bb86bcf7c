// Types of the fixtures API (backend/api/fixtures.go): export, import, replay, forward, simulate.
// The bodies are generated from the Go types (api.gen.ts); the export options and selections are
// query parameters, the frontend's own.
import type { ReplayRequest } from './api.gen';

export type {
  ExportCount,
  ForwardSettings,
  ForwardStatus,
  ImportedFile,
  ImportResult,
  ReplayRecord,
  ReplayRequest,
  ReplayResult,
  ReplayRun,
  Scenario,
  SimulateRequest,
  SimulateResult,
  TargetAnswer,
  TestAttempt,
  TestRequest,
  TestResult,
  TestRun,
} from './api.gen';

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

export type ReplayPace = NonNullable<ReplayRequest['pace']>;
