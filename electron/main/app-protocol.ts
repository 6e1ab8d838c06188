import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';

/**
 * The app's own scheme, sillon://app/…, through which the window loads the built renderer (dist/renderer).
 * Why not file://: response headers (the CSP) never reach a page loaded from file://, every file:// page shares
 * one opaque origin with the whole disk, and the grantFileProtocolExtraPrivileges fuse is off
 * (electron-builder.yml). Free of 'electron' imports, so plain-Node tests serve real files through it.
 */
export const APP_SCHEME = 'sillon';
export const APP_HOST = 'app';
/** The window's page; the router lives in the hash (#/sessions/…), so this is the only document. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The entry of `protocol.registerSchemesAsPrivileged`, made before the app is ready. `standard`: relative URLs
 * resolve and the origin is sillon://app (the IPC gate and the navigation guard compare it); `secure`: a secure
 * context, like https; `supportFetchAPI`: the page's own fetch()es of its assets work. Deliberately absent:
 * `bypassCSP` (the policy must apply), `corsEnabled` (no other origin may read these files), `allowServiceWorkers`.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Every answer of the scheme, errors included, carries the policy; nosniff makes browsers trust the type given. */
const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
} as const;

export type AppPath = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * The file of `root` that a sillon://app/… URL names, or why it is refused. Refused: another scheme or host,
 * credentials or a port, a path that is not valid percent-encoding, and any path that could leave `root` once
 * decoded — `..` segments (also as %2e%2e or behind an encoded slash), backslashes, NUL, drive letters and
 * other `:` (absolute Windows paths, NTFS streams). The URL parser already folds plain `..`; the checks after
 * decoding are the wall, and the final containment test holds even if one of them were missed.
 *
 * @example resolveAppPath('sillon://app/assets/index.js', '/opt/Sillon/dist/renderer')
 *   // { ok: true, file: '/opt/Sillon/dist/renderer/assets/index.js' }
 */
export function resolveAppPath(url: string, root: string): AppPath {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 400, reason: 'Adresse illisible.' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') {
    return { ok: false, status: 403, reason: "Adresse refusée : elle n'est pas celle de l'application." };
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'Adresse illisible : encodage invalide.' };
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (/[\\\0:]/.test(path) || segments.some((s) => s === '..' || s === '.')) {
    return { ok: false, status: 403, reason: 'Adresse refusée : chemin hors de l’application.' };
  }
  const base = resolve(root);
  const file = resolve(base, ...(segments.length ? segments : ['index.html']));
  const inside = relative(base, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return { ok: false, status: 403, reason: 'Adresse refusée : chemin hors de l’application.' };
  }
  return { ok: true, file };
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer> | string | null;
}

/**
 * The answer to one request of the scheme: the file with its type and the security headers, or a short
 * refusal. Only GET and HEAD: the renderer never writes through the scheme (it writes through window.api).
 */
export async function serveAppRequest(url: string, method: string, root: string): Promise<AppResponse> {
  const refuse = (status: number, reason: string): AppResponse => ({ status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: reason });
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'Méthode refusée : lecture seule.');
  const target = resolveAppPath(url, root);
  if (!target.ok) return refuse(target.status, target.reason);
  const info = await stat(target.file).catch(() => null);
  if (!info?.isFile()) return refuse(404, 'Fichier introuvable.');
  const headers = { ...SECURITY_HEADERS, 'content-type': TYPES[extname(target.file).toLowerCase()] ?? 'application/octet-stream' };
  // A plain Uint8Array (a copy of Node's Buffer) is what the fetch Response of every TS lib accepts as a body.
  return { status: 200, headers, body: method === 'HEAD' ? null : new Uint8Array(await readFile(target.file)) };
}
