/**
 * The OS's protected storage for the desk's private keys (issue 19): Electron `safeStorage`,
 * which is DPAPI on Windows (bound to the Windows user), the Keychain on macOS and libsecret on
 * Linux. Injected into the platform (DeskConfig.protector) once the app is ready. Where the OS
 * offers no real store (Linux without a keyring: safeStorage would fall back to a fixed key),
 * the desk keeps its key-file store instead (electron/platform/keyStore.ts).
 */
import type { SecretCipher, SecretProtector } from '../../platform/index.js';

/** The part of Electron's safeStorage the desk uses (the same cipher the hub password's store takes). */
export interface SafeStorageLike extends SecretCipher {
  getSelectedStorageBackend?: () => string;
}

export function osProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretProtector | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return undefined;
  return {
    kind: 'os',
    // Keys are PEM text: safeStorage seals strings; base64 keeps any bytes intact.
    protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unprotect: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}
