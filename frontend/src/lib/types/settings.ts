// Types of GET/PUT /api/v1/settings beyond the secrets (issue 6; backend/settings).

export interface Ports {
  listen: string;
  ui: string;
}

export interface CustomResponse {
  prefix: string;
  status: number;
  body: string;
  content_type: string;
  delay_ms: number;
}

export interface Prune {
  at: string;
  deliveries: number;
  bytes: number;
}

export interface Retention {
  max_deliveries: number;
  max_bytes: number;
}

export type ThemeSetting = 'system' | 'light' | 'dark';

/** The non-secret settings with what goes with them; absent when the backend only knows secrets. */
export interface SettingsView {
  ports?: Ports & { active: Ports; applies_at: string };
  retention?: Retention & { last_prune: Prune | null; stored: { deliveries: number; bytes: number } };
  responses?: CustomResponse[] | null;
  theme?: ThemeSetting;
  notifications?: boolean;
}

/** A partial update: absent fields are kept; responses replaces the whole list. */
export interface SettingsPatch {
  ports?: Partial<Ports>;
  retention?: Partial<Retention>;
  responses?: CustomResponse[];
  theme?: ThemeSetting;
  notifications?: boolean;
}
