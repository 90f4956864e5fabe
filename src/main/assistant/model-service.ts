import fs from 'node:fs/promises'
import path from 'node:path'
import type { Department, DispatchCorpusItem } from '../../shared/api'
import type { ModelStatus } from '../../shared/ipc/services/assistant'
import { overrideRecordSchema, type OverrideRecord, type Prediction } from '../../shared/dispatch'
import type { FeatureContext } from '../features/feature'
import { DispatchWorkerClient } from './dispatch-client'
import { buildTrainingSet, categoryDepartmentMap, categoryPaths, type CategoryNode } from './training-data'
import { msg } from '../../shared/messages'

export const DAY_MS = 86_400_000
/** Past tickets kept in memory for near-duplicate search. */
const RECENT_DAYS = 90

export interface Reference {
  categories: CategoryNode[]
  paths: Map<string, { ids: string[]; names: string[] }>
  departments: Department[]
  districts: { name: string; towns: string[] }[]
  categoryDepartments: Record<string, string[]>
  /** Filed tickets of the last RECENT_DAYS days (content, number), newest first. */
  recent: DispatchCorpusItem[]
}

/**
 * The seat assistant's model: loaded from its sealed file at start (so suggestions work offline and before the
 * platform answers), retrained from the platform's history + duty list + the agents' choices on demand and when
 * older than a day, sealed with the data key (the exemplars quote citizens' words), and run in a worker thread.
 * The worker also reads, opens, seals and writes the file (tens of MB): main only ever sees its summary.
 */
export class AssistantModel {
  private readonly worker: DispatchWorkerClient
  private readonly file: string
  private status: ModelStatus = { state: 'none', createdAt: null, trainingSize: 0, categories: 0, departments: 0, source: 'none', message: null }
  private training: Promise<ModelStatus> | null = null
  reference: Reference | null = null

  constructor(private readonly ctx: FeatureContext) {
    this.file = path.join(ctx.config.dataDir, 'assistant', 'dispatch-model.sealed')
    this.worker = new DispatchWorkerClient(ctx.cipher.exportKey())
  }

  get current(): ModelStatus {
    return { ...this.status }
  }

  /** Loads the sealed model if there is one; a damaged file is set aside and reported, never fatal. */
  async loadSealed(): Promise<void> {
    try {
      const summary = await this.worker.call({ op: 'open', file: this.file })
      if (summary) this.status = { ...summary, state: 'ready', source: 'sealed-file', message: null }
    } catch (err) {
      const aside = `${this.file}.unreadable-${Date.now()}`
      await fs.rename(this.file, aside).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e
      })
      this.ctx.log.warn('assistant: sealed dispatch model unreadable, set aside', { file: aside, error: (err as Error).message })
      this.status = { ...this.status, state: 'none', message: msg('assistantPanel.modelStatus.unreadable', { file: path.basename(aside) }) }
    }
  }

  /** Areas, categories, departments and recent tickets from the platform. */
  async refreshReference(): Promise<Reference> {
    const p = this.ctx.platform
    const [cats, deps, areas] = await Promise.all([p.call('listCategories'), p.call('listDepartments'), p.call('listAreas')])
    const corpus = await this.fetchCorpus()
    const since = Date.now() - RECENT_DAYS * DAY_MS
    this.reference = {
      categories: cats.items,
      paths: categoryPaths(cats.items),
      departments: deps.items,
      districts: areas.districts.map((d) => ({ name: d.name, towns: d.towns.map((t) => t.name) })),
      categoryDepartments: categoryDepartmentMap(corpus, cats.items),
      recent: corpus.filter((c) => Date.parse(c.createdAt) >= since)
    }
    this.corpus = corpus
    return this.reference
  }

  private corpus: DispatchCorpusItem[] = []

  private async fetchCorpus(limit = 20_000): Promise<DispatchCorpusItem[]> {
    const out: DispatchCorpusItem[] = []
    let cursor: string | undefined
    do {
      const page = await this.ctx.platform.call('listDispatchCorpus', { query: { limit: 1000, ...(cursor ? { cursor } : {}) } })
      out.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor && out.length < limit)
    return out
  }

  async feedback(sinceMs = 0): Promise<OverrideRecord[]> {
    const sealed = await this.ctx.db.call('assistant.feedback.sealed', { since: sinceMs })
    const out: OverrideRecord[] = []
    for (const s of sealed) {
      try {
        const r = overrideRecordSchema.safeParse(JSON.parse(this.ctx.cipher.decryptText(s)))
        if (r.success) out.push(r.data)
      } catch {
        /* a record sealed with another key: skipped, the rest still count */
      }
    }
    return out
  }

  /** Trains from the platform and the agents' choices; one training at a time (a second caller waits for it). */
  retrain(reason: string): Promise<ModelStatus> {
    this.training ??= this.doRetrain(reason).finally(() => {
      this.training = null
    })
    return this.training
  }

  private async doRetrain(reason: string): Promise<ModelStatus> {
    const before = this.status
    this.status = { ...before, state: 'training', message: null }
    try {
      const ref = await this.refreshReference()
      const { tickets, duty } = buildTrainingSet(this.corpus, ref.categories, ref.departments, await this.feedback())
      const { trainMs, bytes, ...summary } = await this.worker.call({ op: 'train', tickets, duty, options: {}, sealTo: this.file })
      this.status = { ...summary, state: 'ready', source: 'trained', message: null }
      this.ctx.log.info('assistant: dispatch model trained', { reason, tickets: tickets.length, trainMs: Math.round(trainMs), bytes })
    } catch (err) {
      this.ctx.log.error('assistant: training failed', { reason, error: (err as Error).message })
      this.status = {
        ...before,
        state: before.createdAt ? 'ready' : 'failed',
        message: msg('assistantPanel.modelStatus.trainingFailed', { reason: (err as Error).message })
      }
    }
    return this.current
  }

  /** Retrains when there is no model or it is older than a day (daily schedule). */
  async retrainIfStale(now = Date.now()): Promise<void> {
    const at = this.status.createdAt ? Date.parse(this.status.createdAt) : 0
    if (this.status.state === 'training') return
    if (this.status.state !== 'ready' || now - at >= DAY_MS) await this.retrain(this.status.state === 'ready' ? 'daily' : 'first')
    else if (!this.reference) await this.refreshReference()
  }

  async predict(text: string): Promise<{ prediction: Prediction; ms: number } | null> {
    if (this.status.createdAt === null) return null
    return this.worker.call({ op: 'predict', text })
  }

  stop(): Promise<void> {
    return this.worker.stop()
  }
}
