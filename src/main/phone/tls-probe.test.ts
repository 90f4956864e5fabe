import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { classifyTlsError, diagnoseTls } from './tls-probe'

/** A real TLS server on loopback with a self-signed certificate for 127.0.0.1, made with openssl for this run. */
async function serveTls(name: string): Promise<{ server: tls.Server; port: number; cert: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-probe-'))
  const certFile = path.join(dir, 'cert.pem')
  const keyFile = path.join(dir, 'key.pem')
  const san = net.isIP(name) ? `IP:${name}` : `DNS:${name}`
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${san}`, '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' })
  const cert = fs.readFileSync(certFile, 'utf8')
  const server = tls.createServer({ cert, key: fs.readFileSync(keyFile) }, (s) => s.end())
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, port: (server.address() as net.AddressInfo).port, cert }
}

describe('diagnoseTls', () => {
  let port: number
  let cert: string
  const servers: tls.Server[] = []
  beforeAll(async () => {
    const s = await serveTls('127.0.0.1')
    servers.push(s.server)
    ;({ port, cert } = s)
  })
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()))
  })

  it('names a self-signed certificate as untrusted, in Chinese first', async () => {
    const e = await diagnoseTls(`wss://127.0.0.1:${port}/`)
    expect(e?.code).toBe('tls-untrusted')
    expect(e?.message).toMatch(/^呼叫服务器的证书不受信任/)
    expect(e?.messageEn).toMatch(/not trusted/)
  })

  it('is content with a certificate it trusts, and silent about non-TLS problems', async () => {
    expect(await diagnoseTls(`wss://127.0.0.1:${port}/`, { ca: cert })).toBeNull()
    const closed = net.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const free = (closed.address() as net.AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    expect(await diagnoseTls(`wss://127.0.0.1:${free}/`)).toBeNull()
    expect(await diagnoseTls(`ws://127.0.0.1:${port}/`)).toBeNull()
  })

  it('tells a name mismatch and an expired certificate apart', async () => {
    // A trusted certificate made out to another server's name.
    const other = await serveTls('sip.example.gov.cn')
    servers.push(other.server)
    const e = await diagnoseTls(`wss://127.0.0.1:${other.port}/`, { ca: other.cert })
    expect(e?.code).toBe('tls-name-mismatch')
    expect(classifyTlsError('CERT_HAS_EXPIRED', 'x')?.code).toBe('tls-expired')
    expect(classifyTlsError('ECONNRESET', 'x')).toBeNull()
  })
})
