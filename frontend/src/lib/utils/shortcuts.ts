import type { View } from '../stores/ui.svelte';

/** One keyboard shortcut as the `?` overlay lists it. */
export interface Shortcut {
  keys: string[];
  does: string;
}

/** The views in rail order, with the letter of their `g` sequence. */
export const VIEW_KEYS: { view: View; label: string; letter: string }[] = [
  { view: 'inbox', label: 'Inbox', letter: 'i' },
  { view: 'conversations', label: 'Conversations', letter: 'c' },
  { view: 'agents', label: 'Agents', letter: 'a' },
  { view: 'tunnel', label: 'Tunnel', letter: 't' },
  { view: 'settings', label: 'Settings', letter: 's' },
  { view: 'catalog', label: 'Catalog', letter: 'l' },
];

/** viewForKey returns the view a `g` sequence's second key or an Alt+digit names, or null. */
export function viewForKey(key: string, afterG: boolean, alt: boolean): View | null {
  if (alt) {
    const n = Number(key);
    return Number.isInteger(n) && n >= 1 && n <= VIEW_KEYS.length ? VIEW_KEYS[n - 1].view : null;
  }
  if (!afterG) return null;
  return VIEW_KEYS.find((v) => v.letter === key.toLowerCase())?.view ?? null;
}

/** The shortcuts of every view: switching views and this list. */
export function globalShortcuts(desktop: boolean): Shortcut[] {
  return [
    ...VIEW_KEYS.map((v, i) => ({
      keys: [`g ${v.letter}`, `Alt+${i + 1}`, ...(desktop ? [`Ctrl+${i + 1}`] : [])],
      does: `Go to ${v.label}`,
    })),
    { keys: ['?'], does: 'Show the shortcuts of this view' },
  ];
}

const listKeys: Shortcut[] = [
  { keys: ['j', '↓'], does: 'Next row' },
  { keys: ['k', '↑'], does: 'Previous row' },
  { keys: ['/'], does: 'Search' },
];
const splitKeys: Shortcut[] = [{ keys: ['←', '→'], does: 'Resize the list (on the separator; Shift for bigger steps, Enter resets)' }];

/** viewShortcuts lists the shortcuts that work in one view. */
export function viewShortcuts(view: View): Shortcut[] {
  switch (view) {
    case 'inbox':
      return [
        ...listKeys,
        { keys: ['Enter'], does: 'Open the selected delivery' },
        { keys: ['x'], does: 'Mark the selected delivery for an export' },
        { keys: ['Esc'], does: 'Close the delivery' },
        { keys: ['Enter', 'Space'], does: 'In the body fields: explain the field (and fold it)' },
        ...splitKeys,
      ];
    case 'conversations':
    case 'agents':
      return [
        ...listKeys,
        { keys: ['Enter'], does: `Open the selected ${view === 'agents' ? 'agent' : 'conversation'}'s timeline, then an item's delivery` },
        { keys: ['Esc'], does: 'Go back: from the delivery to the timeline, from the timeline to the list' },
        ...(view === 'agents' ? [{ keys: ['o'], does: "Open the selected timeline item's conversation" }] : []),
        ...splitKeys,
      ];
    default:
      return [];
  }
}
