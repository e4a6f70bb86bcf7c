/**
 * saveBlob hands a file to the browser's download (the desktop window saves exports through its
 * native save dialog instead: api saveExportNative). The name comes from the API's
 * Content-Disposition, never from captured data.
 */
export function saveBlob(blob: Blob, filename: string): void {
  if (typeof URL.createObjectURL !== 'function') return; // jsdom
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
