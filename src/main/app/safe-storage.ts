import { safeStorage } from 'electron'
import type { SecretWrapper } from '../crypto/key-store'

/** Wraps the data key with the desktop keyring through Electron's safeStorage. */
export function safeStorageWrapper(): SecretWrapper | null {
  if (!safeStorage.isEncryptionAvailable()) return null
  // 'basic_text' means no keyring was found: that is not protection, so fall back visibly.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null
  return {
    kind: 'os-keyring',
    wrap: (key) => safeStorage.encryptString(key.toString('base64')),
    unwrap: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64')
  }
}
