/**
 * The SIP user the agent's phone registers as on the sandbox's in-page switch,
 * and the one a simulated citizen dials. One rule shared by main and the phone
 * host so they always agree: the seat ID, else the username, as SIP-safe text.
 */
export function sandboxAgentUser(user: { seatId: string | null; username: string }): string {
  const raw = user.seatId ?? user.username
  return raw.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32) || 'agent'
}

/** The domain of the sandbox's in-page switch (`.invalid` never resolves: nothing can leave the page). */
export const SANDBOX_SIP_DOMAIN = 'sandbox.invalid'

/** What a practice callback presents to the simulated citizen: the hotline's own number, as production does. */
export const SANDBOX_CALLER_ID = '12345'
