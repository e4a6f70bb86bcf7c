import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import SamplePaste from './SamplePaste.svelte';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })),
  );
}

describe('SamplePaste', () => {
  it('says where a sample breaks and selects that spot in the box', async () => {
    answer(400, {
      error: { code: 'invalid', message: "sample is not readable JSON: line 2, column 7: expected ':' after the key, found 'x'", line: 2, column: 7 },
    });
    render(SamplePaste);
    const box = screen.getByLabelText('Paste a vendor sample') as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: '{\n  tag x: 1\n}' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Capture sample' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('line 2, column 7');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Show line 2, column 7 in the sample' }));
    expect(box.selectionStart).toBe(8); // "{\n" is 2, then six characters of "  tag "
    expect(box.value.slice(box.selectionStart, box.selectionEnd)).toBe('x');
  });

  it('offers no place to show when the server names none', async () => {
    answer(503, { error: { code: 'unavailable', message: 'store is busy' } });
    render(SamplePaste);
    const box = screen.getByLabelText('Paste a vendor sample');
    await fireEvent.input(box, { target: { value: '{a: 1}' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Capture sample' }));
    expect((await screen.findByRole('alert')).textContent).toContain('store is busy');
    expect(screen.queryByRole('button', { name: /Show line/ })).toBeNull();
    expect(box.getAttribute('aria-invalid')).toBeNull();
  });
});
