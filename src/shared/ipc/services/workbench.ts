import type { ServiceGroup } from '../method'

/** The agent workbench: screen pop, intake, drafts, work list, privacy (issue 5). */
export const workbenchServices = {} as const satisfies ServiceGroup
