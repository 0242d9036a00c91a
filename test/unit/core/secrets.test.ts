/**
 * This PC's secrets (issue 18): sealed by the OS's protected storage, refused rather than stored
 * in the clear when that storage is unavailable, forgotten (not fatal) when sealed for another
 * user; and a hub address with its password is masked by the log's scrubber.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scrub } from '../../../electron/platform/log.js';
import { ProtectedFileSecretStore, type SecretCipher } from '../../../electron/platform/secrets.js';
import { redactHubUrl, hubUrlWithoutPassword, hubUrlWithPassword, parseHubUrl } from '../../../electron/sync/hubUrl.js';
import { tempDir } from '../../fixtures/tmp.js';

const t = tempDir('desk-secrets-');
afterAll(() => t.cleanup());

/** A stand-in for safeStorage bound to one "user": another user's cipher cannot open it. */
function cipher(user: string, available = true): SecretCipher {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(JSON.stringify({ user, v: Buffer.from(plain).reverse().toString('hex') })),
    decryptString: (b) => {
      const o = JSON.parse(b.toString()) as { user: string; v: string };
      if (o.user !== user) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(o.v, 'hex').reverse().toString();
    },
  };
}

describe('ProtectedFileSecretStore', () => {
  it('seals each secret, reads it back, and never writes the plaintext', () => {
    const file = join(t.dir, 'a', 'secrets.json');
    const s = new ProtectedFileSecretStore(file, cipher('王主任'));
    s.set('hub.password:c1', '口令-S3cret');
    s.set('sync.passphrase:c1', 'pp');
    expect(s.get('hub.password:c1')).toBe('口令-S3cret');
    expect(readFileSync(file, 'utf8')).not.toContain('S3cret');
    s.delete('sync.passphrase:c1');
    expect(s.get('sync.passphrase:c1')).toBeUndefined();
    expect(s.kind).toBe('os');
    // The same file read by another Windows user (a copied profile): as if nothing was saved.
    expect(new ProtectedFileSecretStore(file, cipher('someone else')).get('hub.password:c1')).toBeUndefined();
  });

  it('refuses to save when the OS cannot protect it, and survives a damaged file', () => {
    const file = join(t.dir, 'b', 'secrets.json');
    const off = new ProtectedFileSecretStore(file, cipher('u', false));
    expect(() => off.set('hub.password:c1', 'pw')).toThrow(expect.objectContaining({ code: 'secrets_unavailable' }));
    writeFileSync(join(t.dir, 'damaged.json'), '{not json');
    const damaged = new ProtectedFileSecretStore(join(t.dir, 'damaged.json'), cipher('u'));
    expect(damaged.get('x')).toBeUndefined();
    damaged.set('x', 'y');
    expect(damaged.get('x')).toBe('y');
  });
});

describe('hub addresses', () => {
  it('splits the password off, puts it back, and masks it wherever it is shown or logged', () => {
    const url = 'postgres://zsb:p%40ss:w0rd@hub.example.lan:6543/zsb_hub?sslmode=require';
    expect(parseHubUrl(url)).toMatchObject({ user: 'zsb', password: 'p@ss:w0rd', host: 'hub.example.lan', port: 6543, database: 'zsb_hub' });
    const bare = hubUrlWithoutPassword(url);
    expect(bare).toBe('postgres://zsb@hub.example.lan:6543/zsb_hub?sslmode=require');
    expect(parseHubUrl(hubUrlWithPassword(bare, 'p@ss:w0rd')).password).toBe('p@ss:w0rd');
    expect(hubUrlWithoutPassword('postgresql://zsb@10.0.0.5/zsb_hub')).toBe('postgresql://zsb@10.0.0.5:5432/zsb_hub');
    expect(redactHubUrl(url)).toBe('postgres://zsb:***@hub.example.lan:6543/zsb_hub');
    expect(scrub(`连接 ${url} 失败`)).not.toContain('w0rd');
    expect(() => parseHubUrl('mysql://a@b/c')).toThrow(expect.objectContaining({ code: 'hub_url_invalid' }));
    expect(() => parseHubUrl('postgres://b/c')).toThrow(expect.objectContaining({ code: 'hub_url_invalid' }));
  });
});
