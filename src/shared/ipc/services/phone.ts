import type { ServiceGroup } from '../method'

/** The softphone: registration, call control, agent state, devices, recordings (issue 4). */
export const phoneServices = {} as const satisfies ServiceGroup
