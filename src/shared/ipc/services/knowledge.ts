import type { ServiceGroup } from '../method'

/** Knowledge base, callbacks (回访) and SMS (issue 5). */
export const knowledgeServices = {} as const satisfies ServiceGroup
