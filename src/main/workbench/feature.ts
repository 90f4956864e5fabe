import type { Feature, FeatureContext } from '../features/feature'
import type { workbenchServices } from '../../shared/ipc/services/workbench'

/** Builds the workbench feature's services (see shared/ipc/services/workbench.ts). */
export async function createWorkbenchFeature(ctx: FeatureContext): Promise<Feature<keyof typeof workbenchServices>> {
  void ctx
  return { handlers: {}, stop() {} }
}
