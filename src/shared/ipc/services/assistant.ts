import type { ServiceGroup } from '../method'

/** The seat assistant: dispatch suggestions, alerts, checks, quality inspection (issue 6). */
export const assistantServices = {} as const satisfies ServiceGroup
