import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import VirtualList from './VirtualList.svelte';

interface Item {
  id: string;
  n: number;
}

const make = (count: number, from = 0): Item[] => Array.from({ length: count }, (_, i) => ({ id: `id-${from + i}`, n: from + i }));

const row = createRawSnippet((item: () => Item) => ({
  render: () => `<span>Row ${item().n}</span>`,
}));

function setup(items: Item[], extra: Record<string, unknown> = {}) {
  return render(VirtualList<Item>, {
    props: { items, rowHeight: 40, key: (d: Item) => d.id, row, label: 'Rows', ...extra },
  });
}

describe('VirtualList', () => {
  it('renders only a window of rows for 10,000 items', () => {
    setup(make(10_000));
    const options = screen.getAllByRole('option');
    expect(options.length).toBeGreaterThan(5);
    expect(options.length).toBeLessThan(60);
    expect(options[0]).toHaveTextContent('Row 0');
    expect(options[0]).toHaveAttribute('aria-setsize', '10000');
    expect(screen.queryByText('Row 9999')).not.toBeInTheDocument();
  });

  it('renders the rows under the scroll position', async () => {
    setup(make(10_000));
    const list = screen.getByRole('listbox', { name: 'Rows' });
    list.scrollTop = 40 * 5000;
    await fireEvent.scroll(list);
    expect(screen.getByText('Row 5000')).toBeInTheDocument();
    expect(screen.queryByText('Row 0')).not.toBeInTheDocument();
    expect(screen.getAllByRole('option').length).toBeLessThan(60);
  });

  it('keeps the viewed row in place when rows are added above it', async () => {
    const items = make(1000, 100);
    const r = setup(items);
    const list = screen.getByRole('listbox', { name: 'Rows' });
    list.scrollTop = 40 * 200;
    await fireEvent.scroll(list);
    await r.rerender({ items: [...make(3, 0), ...items] });
    expect(list.scrollTop).toBe(40 * 203);
  });

  it('asks for more when the end is near', async () => {
    const onEndReached = vi.fn();
    setup(make(10), { onEndReached });
    expect(onEndReached).toHaveBeenCalled();
  });

  it('marks the selected row and activates on click', async () => {
    const onActivate = vi.fn();
    setup(make(100), { selectedIndex: 2, onActivate });
    const selected = screen.getByRole('option', { selected: true });
    expect(selected).toHaveTextContent('Row 2');
    await fireEvent.click(screen.getByText('Row 4'));
    expect(onActivate).toHaveBeenCalledWith(4);
  });
});
