import type { FieldCipher } from '../crypto/field-cipher'
import type { OutboxEntry } from '../db/outbox-operations'
import type { OutboxSender, SendOutcome } from './sync-worker'

/**
 * Outbox rows carry citizens' words (a ticket's content, a phone number), and
 * the platform's answers echo them back. Both are sealed with the profile's
 * data key before they reach SQLite, and opened only in main when sent or shown.
 */
export interface Sealed {
  sealed: string
}

export const isSealed = (v: unknown): v is Sealed => typeof v === 'object' && v !== null && typeof (v as Sealed).sealed === 'string' && Object.keys(v).length === 1

export function seal(cipher: FieldCipher, value: unknown): Sealed {
  return { sealed: cipher.encryptText(JSON.stringify(value ?? null)) }
}

/** Opens a sealed value; a plain one (written before sealing existed) passes through. */
export function open(cipher: FieldCipher, value: unknown): unknown {
  return isSealed(value) ? (JSON.parse(cipher.decryptText(value.sealed)) as unknown) : value
}

/** Wraps a sender: it sees the opened payload; what it answers is sealed before the worker stores it. */
export function sealedSender(cipher: FieldCipher, send: (entry: OutboxEntry) => Promise<SendOutcome>): OutboxSender {
  return {
    async send(entry) {
      const outcome = await send({ ...entry, payload: open(cipher, entry.payload) })
      switch (outcome.kind) {
        case 'ok':
          return { kind: 'ok', response: seal(cipher, outcome.response) }
        case 'retry':
          return { ...outcome, error: seal(cipher, outcome.error) }
        default:
          return { kind: outcome.kind, error: seal(cipher, outcome.error) }
      }
    }
  }
}
