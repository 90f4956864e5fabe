import { PlatformError, type PlatformGateway, type PlatformUser } from './gateway'

const TIMEOUT_MS = 8000

/** The reference platform's HTTP API, reached with fetch (Node's undici). */
export class HttpPlatformGateway implements PlatformGateway {
  constructor(readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    let res: Response
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {})
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS)
      })
    } catch (err) {
      throw new PlatformError(0, 'network', `platform unreachable: ${(err as Error).message}`)
    }
    const text = await res.text()
    const json = text ? (JSON.parse(text) as unknown) : null
    if (!res.ok) {
      const code = (json as { error?: string } | null)?.error ?? `http_${res.status}`
      throw new PlatformError(res.status, code, `platform answered ${res.status} ${code}`, json)
    }
    return json as T
  }

  async login(username: string, password: string): Promise<{ token: string; user: PlatformUser }> {
    return this.request('POST', '/api/v1/auth/login', { username, password })
  }

  async logout(token: string): Promise<void> {
    await this.request('POST', '/api/v1/auth/logout', {}, token)
  }

  async health(): Promise<{ ok: boolean; latencyMs: number }> {
    const started = performance.now()
    try {
      await this.request('GET', '/health')
      return { ok: true, latencyMs: Math.round(performance.now() - started) }
    } catch (err) {
      if (err instanceof PlatformError && err.status >= 500) return { ok: false, latencyMs: Math.round(performance.now() - started) }
      throw err
    }
  }
}
