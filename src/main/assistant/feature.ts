import type { Feature, FeatureContext } from '../features/feature'
import type { assistantServices } from '../../shared/ipc/services/assistant'

/** Builds the assistant feature's services (see shared/ipc/services/assistant.ts). */
export async function createAssistantFeature(ctx: FeatureContext): Promise<Feature<keyof typeof assistantServices>> {
  void ctx
  return { handlers: {}, stop() {} }
}
