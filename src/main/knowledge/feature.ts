import type { Feature, FeatureContext } from '../features/feature'
import type { knowledgeServices } from '../../shared/ipc/services/knowledge'

/** Builds the knowledge feature's services (see shared/ipc/services/knowledge.ts). */
export async function createKnowledgeFeature(ctx: FeatureContext): Promise<Feature<keyof typeof knowledgeServices>> {
  void ctx
  return { handlers: {}, stop() {} }
}
