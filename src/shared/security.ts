/**
 * The one Content-Security-Policy of every window (Electron and browser host):
 * no inline script or style, no eval, nothing loaded from anywhere but the app
 * itself. Vue and Element Plus set styles through the CSSOM, which CSP allows;
 * `ws:` to the host is the browser host's bridge (loopback only).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'"
].join('; ')
