/** The reference hotline platform service (issue 3): embeddable, loopback only. */
export { createPlatform, startPlatform, type Platform, type PlatformOptions, type RunningPlatform, type StartOptions } from './platform'
export type { Profile } from './http/handler-types'
