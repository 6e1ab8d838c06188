/**
 * Files in and out of the renderer without touching the disk: a picked file read as base64 for the API,
 * and a document from the API offered as a download through a Blob URL (CSP: no data: navigation needed).
 */

/** The accepted pieces for `attendance.uploadDocument`: PDF, PNG or JPEG. */
export const PIECE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type PieceType = (typeof PIECE_TYPES)[number];

export function isPieceType(mime: string): mime is PieceType {
  return (PIECE_TYPES as readonly string[]).includes(mime);
}

/** A picked file's bytes as base64 (no `data:` prefix). */
export async function readAsBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // Chunks: String.fromCharCode(...huge array) overflows the call stack on scans of a few megabytes.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function readAsText(file: Blob): Promise<string> {
  return file.text();
}

/** Offers bytes as a file download (the browser's or Electron's save flow). */
function offer(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Long enough for the save flow to read it; then the memory is given back.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Offers base64 bytes as a file download. */
export function downloadBase64(fileName: string, base64: string, mime = 'application/pdf'): void {
  offer(fileName, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: mime }));
}

/** Offers text made by the backend (a CSV with its BOM) as a file download, written as UTF-8. */
export function downloadText(fileName: string, text: string, mime = 'text/csv;charset=utf-8'): void {
  offer(fileName, new Blob([text], { type: mime }));
}

/** A label as part of a file name, ASCII and hyphens: « Cuisinier — promotion de novembre » → « cuisinier-promotion-de-novembre ». */
export function fileSlug(label: string): string {
  return label.normalize('NFD').replace(/\p{M}+/gu, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60);
}
