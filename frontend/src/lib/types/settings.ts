// Types of GET/PUT /api/v1/settings beyond the secrets (backend/settings), generated from the Go
// types (api.gen.ts).
import type { Settings } from './api.gen';

export type { CustomResponse, Ports, Prune, SettingsPatch } from './api.gen';

export type ThemeSetting = NonNullable<Settings['theme']>;

/** When the receiver acknowledges a delivery: on stable storage, or written to the system. */
export type SyncPolicy = Settings['sync']['policy'];

/** The non-secret settings with what goes with them; absent when the backend only knows secrets. */
export type SettingsView = Omit<Settings, 'secrets'>;

