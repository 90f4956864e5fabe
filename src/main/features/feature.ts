import type { Handlers } from '../ipc/dispatcher'
import type { ResolvedConfig } from '../config/load-config'
import type { DbClient } from '../db/client'
import type { Logger } from '../logging'
import type { StateHub } from '../state/state-hub'
import type { AuditLog } from '../audit'
import type { FieldCipher } from '../crypto/field-cipher'
import type { SessionService } from '../session/session-service'
import type { IdleLock } from '../session/idle-lock'
import type { PlatformEvent } from '../platform/push-client'
import type { PlatformRequest } from '../platform/gateway'
import type { OperationId, ResponseOf } from '../../shared/api/operations'
import type { ChangePayload } from '../sync/change-payload'
import type { DeskEvent } from '../../shared/ipc/contract'
import type { DomainBus } from './bus'
import type { DerivedChanges } from '../sync/derived-changes'
import type { UiMessage } from '../../shared/messages'

/**
 * What createCore hands each feature (phone, workbench, knowledge, assistant).
 * A feature builds its services from these, without Electron, and returns the
 * IPC handlers for the service group it declares in shared/ipc/services/.
 */
export interface FeatureContext {
  config: ResolvedConfig
  log: Logger
  hub: StateHub
  db: DbClient
  cipher: FieldCipher
  audit: AuditLog
  session: SessionService
  /** The idle lock; the dispatcher already refuses citizen data while it holds. */
  lock: IdleLock
  /** Queue a change for the platform (durable, exactly once); returns its idempotency key. */
  outbox: { enqueue(operation: OperationId, entityKey: string | null, payload: ChangePayload, actor: string | null, idempotencyKey?: string): Promise<string> }
  /** Direct platform calls as the signed-in user. */
  platform: {
    call<K extends OperationId>(operation: K, request?: PlatformRequest<K>): Promise<ResponseOf<K>>
    /** Raw bytes (a recording's audio); absent where the platform adapter cannot. */
    download?(operation: OperationId, params: Record<string, string | number>): Promise<{ data: Buffer; contentType: string }>
  }
  onPlatformEvent(listener: (event: PlatformEvent) => void): () => void
  /** Commands for the hidden phone host window. */
  sendPhoneCommand(command: Extract<DeskEvent, { kind: 'phone-command' }>['command']): void
  notify(level: 'info' | 'warning' | 'error', message: UiMessage): void
  /** Events between features (a submitted ticket, an ended call). */
  bus: DomainBus
  /** Work that follows the platform's acknowledgements: register a source once; kick when new work may be ready. */
  derived: Pick<DerivedChanges, 'register' | 'kick'>
}

export interface Feature<S extends keyof Handlers> {
  handlers: Pick<Handlers, S>
  stop(): Promise<void> | void
}
