import type { Feature, FeatureContext } from '../features/feature'
import type { phoneServices } from '../../shared/ipc/services/phone'

/** Builds the phone feature's services (see shared/ipc/services/phone.ts). */
export async function createPhoneFeature(ctx: FeatureContext): Promise<Feature<keyof typeof phoneServices>> {
  void ctx
  return { handlers: {}, stop() {} }
}
