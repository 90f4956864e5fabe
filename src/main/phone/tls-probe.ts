import net from 'node:net'
import tls from 'node:tls'
import { phoneError, type PhoneError } from '../../shared/phone'

/**
 * Why a wss:// SIP server's certificate is refused. A browser's WebSocket says only "error" when the TLS handshake
 * fails, so the phone host cannot tell a bad certificate from a server that is down; when its registration fails
 * on a wss:// address, main opens a TLS connection of its own to the same place and names the problem for the agent.
 * Resolves null when the certificate is fine or the server cannot be reached at all (then the phone's own
 * "cannot reach the SIP server" stands).
 */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED'
])
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH'])

export function classifyTlsError(code: string | undefined, detail: string): PhoneError | null {
  if (!code) return null
  if (UNTRUSTED.has(code)) return phoneError('tls-untrusted', { detail })
  if (EXPIRED.has(code)) return phoneError('tls-expired', { detail })
  if (WRONG_NAME.has(code)) return phoneError('tls-name-mismatch', { detail })
  return null
}

export function diagnoseTls(url: string, opts: { timeoutMs?: number; ca?: string | Buffer } = {}): Promise<PhoneError | null> {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return Promise.resolve(null)
  }
  if (u.protocol !== 'wss:') return Promise.resolve(null)
  const host = u.hostname.replace(/^\[|\]$/g, '')
  const port = Number(u.port || 443)
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: true, ca: opts.ca, ALPNProtocols: ['http/1.1'] })
    const done = (result: PhoneError | null) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(result)
    }
    const timer = setTimeout(() => done(null), opts.timeoutMs ?? 3000)
    socket.once('secureConnect', () => done(null))
    socket.once('error', (err: NodeJS.ErrnoException) => done(classifyTlsError(err.code, `${err.code}: ${err.message}`)))
  })
}
