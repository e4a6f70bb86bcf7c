import { isDesktop } from '../api/runtime';
export type View = 'inbox' | 'conversations' | 'agents' | 'tunnel' | 'settings' | 'catalog';
export type Theme = 'system' | 'light' | 'dark';

const THEME_KEY = 'hooklens.theme';

function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === 'light' || t === 'dark' || t === 'system') return t;
  } catch {
    // storage may be unavailable
  }
  return 'system';
}

/** UiStore holds view state: the screen shown and the theme. */
export class UiStore {
  view = $state<View>('inbox');
  theme = $state<Theme>(storedTheme());
  /** True in the desktop face, whose menu also switches views with Ctrl+1…6. */
  readonly desktop = isDesktop();
  /** Open modal dialogs: views ignore their keyboard shortcuts while one is open. */
  modals = $state(0);

  setTheme(t: Theme): void {
    this.theme = t;
    try {
      localStorage.setItem(THEME_KEY, t);
    } catch {
      // ignore
    }
    this.applyTheme();
  }

  /** nextTheme is the theme after the current one: system → light → dark → system. */
  nextTheme(): Theme {
    return this.theme === 'system' ? 'light' : this.theme === 'light' ? 'dark' : 'system';
  }

  applyTheme(): void {
    const root = document.documentElement;
    if (this.theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', this.theme);
  }
}

export const ui = new UiStore();
