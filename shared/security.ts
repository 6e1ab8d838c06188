/**
 * The Content-Security-Policy of every page of the app, as directives: the Electron window (a header of the
 * sillon:// protocol, electron/main/app-protocol.ts), the preview bridge (a header) and the renderer's
 * index.html (a <meta>, written at build time by vite.config.ts). One list, so the three never disagree.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
] as const;

/**
 * Directives a policy delivered in a <meta> may not carry: browsers ignore them there and warn in the
 * console (CSP Level 3, §3.3). Only a header can forbid framing.
 */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The policy sent as a response header. */
export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** The same policy for `<meta http-equiv="Content-Security-Policy">`: without the header-only directives. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((d) => !HEADER_ONLY.includes(d.split(' ')[0]!)).join('; ');
