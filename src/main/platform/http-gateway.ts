import { randomUUID } from 'node:crypto'
import { operations, pathFor, type OperationId, type ResponseOf } from '../../shared/api/operations'
import type { OutboxEntry } from '../db/outbox-operations'
import type { SendOutcome } from '../sync/sync-worker'
import type { ChangePayload } from '../sync/change-payload'
import { PlatformError, type PlatformGateway, type PlatformRequest, type PlatformUser, type RawUpload } from './gateway'

/** How an operationId maps to HTTP; comes from the shared API operation table. */
export type RouteOf = (operationId: string) => { method: string; path: string } | undefined

/** The reference platform's routes, straight from the shared operation table. */
export const routeOfOperation: RouteOf = (id) => (Object.hasOwn(operations, id) ? operations[id as OperationId] : undefined)

const TIMEOUT_MS = 8000

/** The reference platform's HTTP API, reached with fetch (Node's undici). */
export class HttpPlatformGateway implements PlatformGateway {
  constructor(
    readonly baseUrl: string,
    private readonly routeOf: RouteOf
  ) {}

  private async request<T>(method: string, path: string, body?: unknown, token?: string | null, extraHeaders: Record<string, string> = {}): Promise<T> {
    let res: Response
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...extraHeaders
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

  async call<K extends OperationId>(operation: K, request: PlatformRequest<K>, token: string | null): Promise<ResponseOf<K>> {
    const route = operations[operation]
    let path = pathFor(route.path, (request.params ?? {}) as Record<string, string | number>)
    const query = new URLSearchParams()
    for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
      if (v === undefined || v === null) continue
      for (const item of Array.isArray(v) ? v : [v]) query.append(k, String(item))
    }
    if ([...query].length) path += `?${query}`
    // Mutating calls always carry an idempotency key, so a retry after a lost answer is safe.
    const mutating = route.method !== 'GET'
    const headers: Record<string, string> = mutating ? { 'idempotency-key': request.idempotencyKey ?? randomUUID() } : {}
    return this.request<ResponseOf<K>>(route.method, path, mutating ? (request.body ?? {}) : undefined, token, headers)
  }

  async upload(operation: OperationId, request: RawUpload, token: string | null): Promise<unknown> {
    const route = operations[operation]
    const query = new URLSearchParams(Object.entries(request.query ?? {}).map(([k, v]) => [k, String(v)] as [string, string]))
    const url = new URL(route.path + ([...query].length ? `?${query}` : ''), this.baseUrl)
    let res: Response
    try {
      res = await fetch(url, {
        method: route.method,
        headers: { 'content-type': request.contentType, 'idempotency-key': request.idempotencyKey, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: new Uint8Array(request.body),
        // Larger than a JSON change: allow for a slow uplink.
        signal: AbortSignal.timeout(TIMEOUT_MS * 8)
      })
    } catch (err) {
      throw new PlatformError(0, 'network', `platform unreachable: ${(err as Error).message}`)
    }
    const text = await res.text()
    let json: unknown = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = text
    }
    if (!res.ok) {
      const code = (json as { error?: string } | null)?.error ?? `http_${res.status}`
      throw new PlatformError(res.status, code, `platform answered ${res.status} ${code}`, json)
    }
    return json
  }

  async download(operation: OperationId, params: Record<string, string | number>, token: string | null): Promise<{ data: Buffer; contentType: string }> {
    const route = operations[operation]
    let res: Response
    try {
      res = await fetch(new URL(pathFor(route.path, params), this.baseUrl), {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(TIMEOUT_MS * 8)
      })
    } catch (err) {
      throw new PlatformError(0, 'network', `platform unreachable: ${(err as Error).message}`)
    }
    const data = Buffer.from(await res.arrayBuffer())
    if (!res.ok) {
      let body: unknown = null
      try {
        body = JSON.parse(data.toString('utf8'))
      } catch {
        // not JSON: keep the status only
      }
      const code = (body as { error?: string } | null)?.error ?? `http_${res.status}`
      throw new PlatformError(res.status, code, `platform answered ${res.status} ${code}`, body)
    }
    return { data, contentType: (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim() }
  }

  async sendChange(entry: OutboxEntry, token: string | null): Promise<SendOutcome> {
    const route = this.routeOf(entry.operation)
    if (!route) return { kind: 'reject', error: { message: `未知的平台操作 ${entry.operation} (unknown operation)` } }
    const payload = (entry.payload ?? {}) as ChangePayload
    const path = route.path.replace(/\{(\w+)\}|:(\w+)/g, (_m, a: string | undefined, b: string | undefined) => encodeURIComponent(String(payload.params?.[(a ?? b)!] ?? '')))
    let res: Response
    try {
      res = await fetch(new URL(path.replace(/^\//, ''), this.baseUrl.endsWith('/') ? this.baseUrl : this.baseUrl + '/'), {
        method: route.method,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': entry.idempotencyKey,
          ...(token ? { authorization: `Bearer ${token}` } : {})
        },
        body: payload.body === undefined ? undefined : JSON.stringify(payload.body),
        signal: AbortSignal.timeout(TIMEOUT_MS)
      })
    } catch (err) {
      return { kind: 'retry', reason: 'offline', error: { message: (err as Error).message } }
    }
    const text = await res.text().catch(() => '')
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      // keep the raw text: a proxy's HTML error page is still worth showing in the log
    }
    if (res.ok) return { kind: 'ok', response: body }
    if (res.status === 409) return { kind: 'conflict', error: body }
    // Not the content's fault: the platform is busy, or the session needs renewing. Retry later.
    if (res.status >= 500 || res.status === 429 || res.status === 408 || res.status === 401) return { kind: 'retry', reason: 'degraded', error: { status: res.status, body } }
    return { kind: 'reject', error: body }
  }
}
