// The Wails runtime of the desktop face (window.runtime), the one place the frontend reaches it.
// In a browser (the headless face) there is none, and every caller falls back to HTTP.

/** WailsRuntime is the part of the Wails JS runtime Hooklens uses: Go ⇄ page events. */
export interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void;
  EventsEmit(name: string, ...data: unknown[]): void;
}

declare global {
  interface Window {
    runtime?: Partial<WailsRuntime>;
  }
}

/** wailsEvents returns the runtime when the page can listen to Go's events, null in a browser. */
export function wailsEvents(): Pick<WailsRuntime, 'EventsOn'> | null {
  const rt = typeof window !== 'undefined' ? window.runtime : undefined;
  return rt && typeof rt.EventsOn === 'function' ? (rt as Pick<WailsRuntime, 'EventsOn'>) : null;
}

/** wailsRuntime returns the runtime when the page can both listen and emit events, null otherwise. */
export function wailsRuntime(): WailsRuntime | null {
  const rt = typeof window !== 'undefined' ? window.runtime : undefined;
  return rt && typeof rt.EventsOn === 'function' && typeof rt.EventsEmit === 'function' ? (rt as WailsRuntime) : null;
}

/** isDesktop reports whether the page runs in the desktop face (the Wails window, with its menu). */
export function isDesktop(): boolean {
  return wailsEvents() !== null;
}
