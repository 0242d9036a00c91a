/**
 * Private keys kept on this PC (issue 19): the signing keys are stored sealed by a protector,
 * never as plaintext in the database or in the backups copied from it. (Passwords the desk
 * remembers for the hub and automatic sync are secrets.ts's: a file of their own, not a workspace.)
 *
 * The protector is injected at the edge (DeskConfig.protector): the Electron shell passes the
 * OS's protected storage (Electron `safeStorage`: DPAPI on Windows, the Keychain on macOS,
 * libsecret on Linux), so a copied database or backup cannot be unsealed on another PC or by
 * another Windows user. A plain Node process (tests, the development CLI, the web host started
 * from a terminal) has no OS store: it uses a key file in the per-user desk home, readable by
 * that user only — outside every workspace and every backup.
 *
 * A sealed value names its protector (`sealed:1:<kind>:<base64>`), so a process with another
 * protector says so instead of taking the key for lost.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../../shared/api/index.js';
import { deskConfig } from './config.js';

export interface SecretProtector {
  /** Names the store in sealed values: 'os' (safeStorage/DPAPI) or 'file'. */
  readonly kind: string;
  protect(plain: Buffer): Buffer;
  /** Throws when the value was sealed elsewhere (another PC, another user). */
  unprotect(sealed: Buffer): Buffer;
}

const PREFIX = 'sealed:1:';

/** True when the stored value is sealed (not a plaintext secret). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** Owner-only permissions on POSIX (Windows keeps the per-user ACLs of the folder it is in). */
export function restrictToUser(path: string, kind: 'dir' | 'file'): void {
  if (process.platform === 'win32') return;
  try {
    chmodSync(path, kind === 'dir' ? 0o700 : 0o600);
  } catch {
    // A file system without POSIX modes (a FAT stick): nothing to restrict.
  }
}

const fileProtectors = new Map<string, SecretProtector>();

/**
 * The fallback store of a process without the OS's: AES-256-GCM under a random key in
 * `<home>/secret.key` (0600, in a 0700 folder). It keeps secrets out of databases and backups;
 * it does not protect them from someone who can read the user's files.
 */
export function fileProtector(home: string): SecretProtector {
  const had = fileProtectors.get(home);
  if (had) return had;
  const file = join(home, 'secret.key');
  let key: Buffer | null = null;
  const load = (): Buffer => {
    if (key) return key;
    if (!existsSync(file)) {
      mkdirSync(home, { recursive: true });
      restrictToUser(home, 'dir');
      // Written whole, then linked into place: two processes starting at once agree on one key.
      const part = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(part, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
      try {
        linkSync(part, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        rmSync(part, { force: true });
      }
    }
    const k = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (k.length !== 32) throw new Error(`${file} is not a desk secret key`);
    restrictToUser(file, 'file');
    key = k;
    return k;
  };
  const p: SecretProtector = {
    kind: 'file',
    protect(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', load(), iv);
      const body = Buffer.concat([c.update(plain), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unprotect(sealed) {
      const d = createDecipheriv('aes-256-gcm', load(), sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
    },
  };
  fileProtectors.set(home, p);
  return p;
}

/** The protector of this process: the one the edge injected, or the desk home's key file. */
export function secretProtector(): SecretProtector {
  const c = deskConfig();
  return c.protector ?? fileProtector(c.home);
}

export function sealSecret(plain: string, p: SecretProtector = secretProtector()): string {
  return `${PREFIX}${p.kind}:${p.protect(Buffer.from(plain, 'utf8')).toString('base64')}`;
}

/**
 * The secret a stored value holds: plaintext as is (older desks, a clone on its way to its PC),
 * a sealed one unsealed. null when it was sealed by this kind of store elsewhere (another PC or
 * user: the secret is lost here); a DeskError when this process has another kind of store.
 */
export function unsealSecret(stored: string, p: SecretProtector = secretProtector()): string | null {
  if (!isSealed(stored)) return stored;
  const rest = stored.slice(PREFIX.length);
  const at = rest.indexOf(':');
  const kind = rest.slice(0, at);
  if (kind !== p.kind) {
    throw new DeskError('secret_store_mismatch', `这个学院的密钥由${kind === 'os' ? '系统的受保护存储（桌面程序）' : '本机的密钥文件（命令行或网页版）'}保管，当前程序无法读取。请用同一种方式打开这个学院（桌面程序或它的 --cli 模式）。`, { sealedBy: kind, here: p.kind });
  }
  try {
    return p.unprotect(Buffer.from(rest.slice(at + 1), 'base64')).toString('utf8');
  } catch {
    return null;
  }
}
