/**
 * Secrets of this PC (the hub password, the college sync passphrase for automatic sync): never
 * in the workspace, never in a settings event, never in the log. The Electron shell keeps them
 * encrypted with the OS's protected storage (safeStorage: DPAPI on Windows, bound to the signed-in
 * Windows user) in a file of the installation's home folder; the web host and tests keep them in
 * memory for the life of the process; the CLI takes them from environment variables.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { writeFileAtomic } from './files.js';

export interface SecretStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Where the secrets are kept, for the settings screen: 'os' = the OS's protected storage. */
  readonly kind: 'os' | 'memory';
}

/** What Electron's safeStorage offers (encryptString / decryptString), passed in by the shell. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

/** Kept for this process only: the web host and tests. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, string>();
  get(key: string): string | undefined {
    return this.values.get(key);
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  delete(key: string): void {
    this.values.delete(key);
  }
}

/** A JSON file of base64 ciphertexts, each sealed by the OS for the signed-in user. */
export class ProtectedFileSecretStore implements SecretStore {
  readonly kind = 'os' as const;
  constructor(private readonly file: string, private readonly cipher: SecretCipher) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
    } catch {
      // A damaged file loses the saved passwords, which the user types again; it never stops the desk.
      return {};
    }
  }

  get(key: string): string | undefined {
    const sealed = this.read()[key];
    if (typeof sealed !== 'string' || !this.cipher.isEncryptionAvailable()) return undefined;
    try {
      return this.cipher.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed for another Windows user or another PC (a copied profile): as if never saved.
      return undefined;
    }
  }

  set(key: string, value: string): void {
    if (!this.cipher.isEncryptionAvailable()) {
      throw new DeskError('secrets_unavailable', '本机系统无法加密保存密码（操作系统的受保护存储不可用），因此不会保存。请在每次同步时输入，或由管理员设置环境变量。');
    }
    const all = this.read();
    all[key] = this.cipher.encryptString(value).toString('base64');
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileAtomic(this.file, Buffer.from(JSON.stringify(all, null, 1)));
  }

  delete(key: string): void {
    const all = this.read();
    if (!(key in all)) return;
    delete all[key];
    writeFileAtomic(this.file, Buffer.from(JSON.stringify(all, null, 1)));
  }
}
