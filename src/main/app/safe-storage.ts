import { safeStorage } from 'electron'
import type { SafeStorageLike } from '../crypto/key-store'

/**
 * Electron's safeStorage as the core sees it, asked once the app is ready (before that, Linux answers 'unknown' for
 * its backend). Whether a real keyring backs it ('basic_text' is none) is decided, and tested, in crypto/key-store.ts.
 */
export function electronKeyring(): SafeStorageLike {
  return safeStorage
}
