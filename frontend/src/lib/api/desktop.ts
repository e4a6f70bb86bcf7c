// The desktop face's native menu, as Wails events from Go (app/menu.go): View → a screen, and the
// progress and result of File → Import…. Nothing happens in a browser (no window.runtime).
import { deliveries } from '../stores/deliveries.svelte';
import { importer } from '../stores/importer.svelte';
import { ui, type View } from '../stores/ui.svelte';
import type { ImportResult } from '../types/fixtures';
import { wailsEvents, type WailsRuntime } from './runtime';

const VIEWS: readonly View[] = ['inbox', 'conversations', 'agents', 'tunnel', 'settings', 'catalog'];

function isView(v: unknown): v is View {
  return typeof v === 'string' && (VIEWS as readonly string[]).includes(v);
}

function isImportResult(v: unknown): v is ImportResult {
  const r = v as ImportResult | null;
  return !!r && Array.isArray(r.files) && typeof r.imported === 'number';
}

/**
 * initDesktop listens to the menu's events; it returns the function that stops listening.
 * It runs once on load; rt is for tests.
 */
export function initDesktop(rt: Pick<WailsRuntime, 'EventsOn'> | null = wailsEvents()): () => void {
  if (!rt) return () => {};
  const offs = [
    rt.EventsOn('menu:navigate', (p: unknown) => {
      const view = (p as { view?: unknown } | null)?.view;
      if (isView(view)) ui.view = view;
    }),
    rt.EventsOn('import:start', (p: unknown) => {
      const names = (p as { names?: unknown } | null)?.names;
      importer.result = null;
      importer.error = null;
      importer.names = Array.isArray(names) ? names.map(String) : [];
      importer.importing = true;
    }),
    rt.EventsOn('import:done', (p: unknown) => {
      importer.importing = false;
      if (isImportResult(p)) importer.result = p;
      void deliveries.loadFirst();
    }),
  ];
  return () => offs.forEach((off) => off());
}

initDesktop();
