import type { Role } from '../../shared/roles'

/**
 * The adapter seam (R9): everything the desktop needs from a hotline platform.
 * The reference platform is reached through HttpPlatformGateway; a production
 * deployment maps these calls onto the region's platform with its own
 * implementation of this interface, and nothing else in main changes.
 */
export interface PlatformUser {
  id: string
  username: string
  displayName: string
  roles: Role[]
  seatId: string | null
}

export interface PlatformGateway {
  readonly baseUrl: string
  login(username: string, password: string): Promise<{ token: string; user: PlatformUser }>
  logout(token: string): Promise<void>
  /** Cheap reachability probe for the connectivity indicator. */
  health(): Promise<{ ok: boolean; latencyMs: number }>
}

/** A failure talking to the platform. `status` 0 means no HTTP answer at all. */
export class PlatformError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body?: unknown
  ) {
    super(message)
    this.name = 'PlatformError'
  }
}
