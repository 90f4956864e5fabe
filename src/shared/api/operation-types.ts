import type { z } from 'zod'
import type { Role } from '../roles'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

/** Who may call an operation: listed roles, any signed-in user, or anyone (login). */
export type Access = readonly Role[] | 'signed_in' | 'public'

/** Kinds of record whose reads and changes go to the audit log (R10). */
export type AuditEntity = 'ticket' | 'caller' | 'call' | 'recording' | 'callback' | 'sms' | 'malicious' | 'knowledge' | 'agent'

/** A raw (non-JSON) body or answer: recordings. */
export const BINARY = 'binary' as const
export type Binary = typeof BINARY

export interface OperationDef {
  method: HttpMethod
  /** OpenAPI style: /api/v1/tickets/{id} */
  path: string
  summary: string
  tag: string
  access: Access
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType | Binary
  response: z.ZodType | Binary
  /** 200 unless said otherwise (201 for creations). */
  status?: 200 | 201
  /** Audit reads/changes of citizen records. */
  audit?: { entity: AuditEntity; action: 'read' | 'change' }
  /**
   * Mutating operations (every method but GET) require `Idempotency-Key`,
   * except those that only open or close a session and create no record.
   */
  idempotencyExempt?: true
}

/** Identity function that keeps the literal type of each operation for the typed client. */
export function defineOperation<const T extends OperationDef>(def: T): T {
  return def
}

type Out<T> = T extends z.ZodType ? z.output<T> : T extends Binary ? Uint8Array : undefined
type In<T> = T extends z.ZodType ? z.input<T> : T extends Binary ? Uint8Array : undefined
type Field<O, K extends string> = O extends { [P in K]: infer S } ? S : undefined

/** What a client sends (before defaults are applied). */
export type ParamsIn<O> = In<Field<O, 'params'>>
export type QueryIn<O> = In<Field<O, 'query'>>
export type BodyIn<O> = In<Field<O, 'body'>>
/** What the service sees after validation (defaults applied). */
export type ParamsOut<O> = Out<Field<O, 'params'>>
export type QueryOut<O> = Out<Field<O, 'query'>>
export type BodyOut<O> = Out<Field<O, 'body'>>
/** The JSON body of a 2xx answer. */
export type ResponseOut<O> = Out<Field<O, 'response'>>

export function isMutating(op: OperationDef): boolean {
  return op.method !== 'GET'
}
export function requiresIdempotencyKey(op: OperationDef): boolean {
  return isMutating(op) && !op.idempotencyExempt
}
