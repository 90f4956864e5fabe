import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { Caller, DeskEvent } from '../shared/ipc/contract'
import { initialPhoneState, type AppState } from '../shared/ipc/state'
import type { ResolvedConfig } from './config/load-config'
import { DbClient } from './db/client'
import { IpcDispatcher, type Handlers } from './ipc/dispatcher'
import type { Logger } from './logging'
import { PhoneHostSupervisor } from './phone-host/supervisor'
import { ConnectivityMonitor } from './platform/connectivity'
import type { PlatformGateway, PlatformRequest } from './platform/gateway'
import { operations, type OperationId } from '../shared/api/operations'
import { HttpPlatformGateway, routeOfOperation } from './platform/http-gateway'
import type { ChangePayload } from './sync/change-payload'
import { open, seal, sealedSender } from './sync/sealed-outbox'
import { withDependentParams } from './sync/dependent-changes'
import { SyncProblems } from './sync/sync-problems'
import { PushClient, type PlatformEvent } from './platform/push-client'

import { startEmbeddedPlatform, type EmbeddedPlatform } from './sandbox/embedded-platform'
import { SessionService } from './session/session-service'
import { IdleLock } from './session/idle-lock'
import { StateHub } from './state/state-hub'
import { SyncWorker } from './sync/sync-worker'
import { DerivedChanges } from './sync/derived-changes'
import { OneAtATime } from './sync/one-at-a-time'
import { AuditLog } from './audit'
import { FieldCipher } from './crypto/field-cipher'
import { keyringProtection, openDataKey, type SafeStorageLike } from './crypto/key-store'
import { DomainBus } from './features/bus'
import type { FeatureContext } from './features/feature'
import { createPhoneFeature } from './phone/feature'
import { createWorkbenchFeature } from './workbench/feature'
import { createKnowledgeFeature } from './knowledge/feature'
import { createCallbacksFeature } from './callbacks/feature'
import { createAssistantFeature } from './assistant/feature'
import { createTrainingFeature } from './training/feature'
import { createRecordingsFeature } from './recordings/feature'
import { createRecordingUploader } from './recordings/recording-upload'
import { recordingsDir } from './recordings/recording-service'
import { msg, type UiMessage } from '../shared/messages'
import { ensurePrivateDir, preparePrivateDatabase } from './private-files'

export interface CoreRuntime {
  kind: AppState['app']['runtime']
  version: string
  log: Logger
  /** Phone-host heartbeat period and the silence after which it is restarted. */
  heartbeatMs?: number
  phoneTimeoutMs?: number
  /** Electron's safeStorage (the OS keyring, when a real one backs it); absent in the browser host and tests. */
  keyring?: SafeStorageLike | null
  /** A production deployment's own platform adapter (see platform/gateway.ts). */
  createGateway?: (baseUrl: string) => PlatformGateway
}

export type Core = Awaited<ReturnType<typeof createCore>>

/**
 * Builds every main-side service without Electron. `main/app` wires the result
 * to Electron IPC and windows; the browser host wires it to a WebSocket and
 * headless Chromium; tests call it directly.
 */
export async function createCore(config: ResolvedConfig, runtime: CoreRuntime) {
  const { log } = runtime
  const now = Date.now()
  const hub = new StateHub({
    app: { version: runtime.version, profile: config.profile, runtime: runtime.kind, dataDir: config.dataDir, startedAt: now },
    session: { user: null, since: null },
    phoneHost: { status: 'starting', since: now, lastHeartbeat: null, restarts: 0, userAgent: null },
    connectivity: { platform: 'offline', detail: msg('connectivity.connecting'), since: now },
    sync: { pending: 0, rejected: 0, conflict: 0, derived: 0, lastSyncedAt: null, push: 'off', pushRevision: null },
    phone: initialPhoneState(now),
    training: { active: null, callee: null, scored: 0 },
    recording: { enabled: config.recording.enabled, active: [] },
    notices: []
  })
  const notify = (level: 'info' | 'warning' | 'error', message: UiMessage) => {
    // The agent reads the notice in their language; the log keeps its key and parameters.
    log[level === 'info' ? 'info' : 'warn']('notice', { level, key: message.key, params: message.params })
    const notices = [...hub.get('notices'), { id: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, level, message, at: Date.now() }]
    hub.set('notices', notices.slice(-50))
  }

  // The profile folder is this user's alone (0700), however an older version or the umask left it.
  ensurePrivateDir(config.dataDir)
  // Before anything is opened: production without the protection it was configured for does not start (KeyStorageError).
  const dataKey = openDataKey(config.dataDir, { profile: config.profile, storage: config.security.keyStorage, keyFile: config.security.keyFile }, keyringProtection(runtime.keyring))
  for (const change of dataKey.changes) log.info('data key', { change, protection: dataKey.protection })
  const cipher = new FieldCipher(dataKey.key)
  const { client: db, notices } = await DbClient.open(path.join(config.dataDir, 'desk.sqlite'))
  for (const n of notices) {
    notify('warning', n)
  }
  const audit = new AuditLog(db)
  if (config.profile === 'production' && dataKey.protection === 'local-file')
    notify('warning', msg('notice.keyBesideData'))

  // The sandbox embeds the reference platform (in its own thread, on loopback);
  // production talks to the configured platform. Never both.
  let embedded: EmbeddedPlatform | null = null
  let platformUrl: string
  if (config.profile === 'sandbox') {
    const platformDir = path.join(config.dataDir, 'platform')
    ensurePrivateDir(platformDir)
    preparePrivateDatabase(path.join(platformDir, 'platform.sqlite'))
    embedded = await startEmbeddedPlatform(platformDir)
    platformUrl = embedded.url
  } else {
    platformUrl = config.platform!.url
  }
  const gateway = (runtime.createGateway ?? ((url) => new HttpPlatformGateway(url, routeOfOperation)))(platformUrl)
  const connectivity = new ConnectivityMonitor(hub, gateway, log)
  await connectivity.probe()
  connectivity.start()

  const session = new SessionService(hub, () => gateway, audit, log)
  // The idle lock is main's, not a window's: the dispatcher refuses citizen data while it holds.
  const onCall = () => hub.get('phone').calls.some((c) => c.state !== 'terminated' && c.state !== 'idle')
  const lock = new IdleLock(
    config.idleLockMinutes * 60_000,
    (reason) => {
      const user = session.currentUser()
      void audit.record(user?.username ?? null, 'privacy.lock', null, { reason }).catch((err: unknown) => log.warn('privacy lock not audited', { error: String(err) }))
    },
    Date.now,
    onCall
  )
  let lockUser: string | null = null
  hub.onChange((change) => {
    if (change.topic !== 'session') return
    // A new session starts unlocked; the same agent signing in again does not clear a lock.
    const username = hub.get('session').user?.username ?? null
    if (username !== lockUser) lock.reset()
    lockUser = username
  })

  // Changes for the platform go through the outbox; the sync worker drains it in order.
  // Recounted one at a time, so an older count never lands after a newer one.
  let syncedSinceCount = false
  const recount = new OneAtATime(async () => {
    // Asked fire-and-forget from the sync worker and the outbox: a failure (the database closing
    // at shutdown) is logged here, never left as an unhandled rejection that kills main.
    const synced = syncedSinceCount
    syncedSinceCount = false
    let counts: Awaited<ReturnType<typeof db.call<'sync.counts'>>>
    try {
      counts = await db.call('sync.counts', undefined as never)
    } catch (err) {
      log.warn('sync counts not refreshed', { error: (err as Error).message })
      return
    }
    const prev = hub.get('sync')
    const lastSyncedAt = synced ? Date.now() : prev.lastSyncedAt
    if (prev.pending !== counts.pending || prev.rejected !== counts.rejected || prev.conflict !== counts.conflict || prev.derived !== counts.derived || lastSyncedAt !== prev.lastSyncedAt)
      hub.set('sync', { ...prev, ...counts, lastSyncedAt })
  })
  const refreshSync = (synced: boolean): Promise<void> => {
    syncedSinceCount ||= synced
    return recount.request()
  }
  // What follows an acknowledgement (a receipt SMS, a ticket's announcement) is swept after each one.
  const derived = new DerivedChanges(log, () => void refreshSync(false))
  let lastOutcome: string | null = null
  // A recording's audio is not in its outbox row: its own sender reads the sealed file and uploads the bytes.
  const uploadRecording = createRecordingUploader({ db, cipher, gateway, token: () => session.bearer(), dir: recordingsDir(config.dataDir), hotline: config.sip?.callerId })
  const syncWorker = new SyncWorker(
    db,
    sealedSender(cipher, async (entry) => {
      if (entry.operation === 'uploadRecording') return uploadRecording(entry)
      // A change naming a record an earlier change created (a call's update after its createCall) gets its id here.
      const ready = await withDependentParams(entry, async (key) => {
        const done = await db.call('outbox.done', { idempotencyKey: key })
        return done ? open(cipher, done.response) : undefined
      })
      return ready.kind === 'ready' ? gateway.sendChange(ready.entry, session.bearer()) : ready.outcome
    }),
    {
      outcome: (kind, reason) => {
        lastOutcome = kind
        if (kind === 'retry') connectivity.report(reason ?? 'offline', reason === 'degraded' ? msg('connectivity.syncRetrying') : msg('connectivity.syncUnreachable'))
        else connectivity.report('online', msg('connectivity.syncing'))
      },
      changed: () => {
        void refreshSync(lastOutcome === 'ok')
        if (lastOutcome === 'ok') derived.kick()
      }
    },
    log
  )
  connectivity.onChange((next) => {
    if (next === 'online') syncWorker.reconnected()
  })
  await refreshSync(false)
  syncWorker.start()
  const outbox = {
    /** Queues one change for the platform; returns its idempotency key. Durable before it returns. */
    async enqueue(operation: OperationId, entityKey: string | null, payload: ChangePayload, actor: string | null, idempotencyKey: string = randomUUID()): Promise<string> {
      // Sealed: the payload is a citizen's words; SQLite only ever holds ciphertext.
      await db.call('outbox.enqueue', { idempotencyKey, operation, entityKey, payload: seal(cipher, payload), actor, at: Date.now() })
      void refreshSync(false)
      syncWorker.kick()
      return idempotencyKey
    }
  }
  // Changes made by others (agent states, queues, ticket updates) arrive on the push channel.
  const platformEvents = new EventEmitter()
  const push = new PushClient({
    baseUrl: platformUrl,
    token: () => session.bearer(),
    loadRevision: async () => {
      const v = await db.call('meta.get', { key: 'push.revision' })
      return v === null ? null : Number(v)
    },
    saveRevision: async (revision) => {
      await db.call('meta.set', { key: 'push.revision', value: String(revision) })
    },
    fetchEvents: (since) => gateway.call('listEvents', { query: { since, limit: 500 } }, session.bearer()),
    onEvent: (event) => {
      platformEvents.emit('event', event)
    },
    onStatus: (status, revision) => hub.set('sync', { ...hub.get('sync'), push: status, pushRevision: revision }),
    log
  })
  hub.onChange((change) => {
    if (change.topic !== 'session') return
    if (hub.get('session').user) void push.start()
    else push.stop()
  })
  connectivity.onChange((next) => {
    if (next === 'online') push.nudge()
  })

  /** Direct platform calls (reads, and changes that cannot wait) as the signed-in user. */
  const platform = {
    call: <K extends OperationId>(operation: K, request: PlatformRequest<K> = {}) => gateway.call(operation, request, session.bearer()),
    download: gateway.download ? (operation: OperationId, params: Record<string, string | number>) => gateway.download!(operation, params, session.bearer()) : undefined
  }
  const syncProblems = new SyncProblems({
    db,
    cipher,
    audit,
    readCurrent: async (entry, payload) => {
      // Conflicts are on versioned records; tickets are the ones agents edit.
      const id = payload.params?.id
      if (id === undefined || !operations[entry.operation as OperationId]?.path.includes('/tickets/{id}')) return null
      return gateway.call('getTicket', { params: { id: Number(id) } }, session.bearer())
    },
    changed: () => {
      void refreshSync(false)
      syncWorker.kick()
      // A change given up is settled: what would have followed it is settled too.
      derived.kick()
    }
  })
  const supervisor = new PhoneHostSupervisor(hub, log, { heartbeatMs: runtime.heartbeatMs ?? 2000, timeoutMs: runtime.phoneTimeoutMs ?? 8000 })

  // Events for the windows: every state change goes to both; commands only to the phone host.
  const events = new EventEmitter()
  const emit = (audience: Caller | 'all', event: DeskEvent) => events.emit('event', audience, event)
  hub.onChange((change) => emit('all', { kind: 'state', ...change }))
  let commandSeq = 0
  const sendPhoneCommand = (command: Extract<DeskEvent, { kind: 'phone-command' }>['command']) =>
    emit('phone', { kind: 'phone-command', seq: ++commandSeq, command })

  // Features, in dependency order: each gets the same context; they talk through the bus.
  const bus = new DomainBus()
  const onPlatformEvent = (listener: (event: PlatformEvent) => void): (() => void) => {
    platformEvents.on('event', listener)
    return () => platformEvents.off('event', listener)
  }
  const ctx: FeatureContext = { config, log, hub, db, cipher, audit, session, lock, outbox, platform, onPlatformEvent, sendPhoneCommand, notify, bus, derived }
  const phone = await createPhoneFeature(ctx)
  const assistant = await createAssistantFeature(ctx)
  const knowledge = await createKnowledgeFeature(ctx)
  const callbacks = createCallbacksFeature(ctx)
  const workbench = await createWorkbenchFeature(ctx)
  const training = await createTrainingFeature(ctx)
  const recordings = await createRecordingsFeature(ctx)
  const features = [phone, assistant, knowledge, callbacks, workbench, training, recordings]
  // Every feature listens now: what a crash left underived is derived, and counted before any window looks.
  derived.start()
  await refreshSync(false)

  const handlers: Handlers = {
    ...phone.handlers,
    ...assistant.handlers,
    ...knowledge.handlers,
    ...callbacks.handlers,
    ...workbench.handlers,
    ...training.handlers,
    ...recordings.handlers,
    system: {
      snapshot: () => hub.snapshot(),
      phoneSnapshot: () => hub.snapshot()
    },
    session: {
      login: (args) => session.login(args.username, args.password),
      logout: () => session.logout()
    },
    sync: {
      problems: (_args, ctx) => syncProblems.list(ctx.user!),
      resolve: (args, ctx) => syncProblems.resolve(ctx.user!, args)
    },
    phoneHost: {
      hello: (args) => supervisor.hello(args.userAgent),
      heartbeat: () => {
        supervisor.heartbeat()
        return null
      }
    }
  }
  const dispatcher = new IpcDispatcher(handlers, () => session.currentUser(), log, () => lock.isLocked())

  log.info('core started', { profile: config.profile, dataDir: config.dataDir, platformUrl, runtime: runtime.kind })

  return {
    config,
    hub,
    db,
    cipher,
    dispatcher,
    supervisor,
    session,
    outbox,
    platform,
    audit,
    syncWorker,
    derived,
    push,
    platformUrl,
    /** Every platform event, once, in revision order. */
    onPlatformEvent,
    bus,
    sendPhoneCommand,
    notify,
    /** Subscribe to events; `audience` says which window(s) an event is for. */
    onEvent(listener: (audience: Caller | 'all', event: DeskEvent) => void): () => void {
      events.on('event', listener)
      return () => events.off('event', listener)
    },
    async stop(): Promise<void> {
      await derived.stop()
      for (const f of [...features].reverse()) await f.stop()
      supervisor.dispose()
      push.stop()
      connectivity.stop()
      await syncWorker.stop()
      await embedded?.close()
      await db.close()
      log.info('core stopped')
    }
  }
}
