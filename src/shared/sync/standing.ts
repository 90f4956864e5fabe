import type { AppState } from '../ipc/state'

/**
 * What the sync indicator says. Waiting counts the changes still queued for the platform and the acknowledged ones
 * whose follow-ups (the citizen's receipt SMS, the ticket's announcement to recordings and the assistant) are still
 * to come; 已同步 only when nothing waits and nothing is parked for the agent.
 */
export function syncStanding(sync: AppState['sync']): { waiting: number; settled: boolean } {
  const waiting = sync.pending + sync.derived
  return { waiting, settled: waiting === 0 && sync.rejected === 0 && sync.conflict === 0 }
}
