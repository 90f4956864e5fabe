import { exposeDesk } from './expose'

/**
 * One preload for both windows (a sandboxed preload must be a single file, and
 * two entries would share a chunk). The page decides which half of the contract
 * it sees; main decides independently from the sender which window is calling,
 * so a page cannot gain the other window's methods by lying.
 */
exposeDesk(window.location.pathname.startsWith('/phone/') ? 'phone' : 'ui')
