/** formatBytes renders a byte count for people (512 B, 2.0 KiB, 1.5 MiB). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** isTextContent tells whether a content type is worth showing as text. */
export function isJsonContent(ct: string): boolean {
  const c = ct.toLowerCase();
  return c.includes('json');
}
