/**
 * Issue 19, part 3 (sync): the scrypt cost of a bundle is the desk's, not the header's, and the
 * readable header gives an attacker nothing to test passphrase guesses against.
 */
import { createHash, scryptSync } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openBundle, readHeader } from '../../../electron/sync/codec.js';
import { collegeId } from '../../../electron/sync/log.js';
import { buildBundle } from '../../../electron/sync/syncService.js';
import type { Workspace } from '../../../electron/workspace/workspace.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { code, college, idOf } from './helpers.js';

const PW = 'college-passphrase-2026';
const opened: Workspace[] = [];
afterAll(() => opened.forEach((w) => w.close()));

/** The bundle with its readable header replaced (the rest of the file unchanged). */
function withHeader(bytes: Buffer, edit: (h: Record<string, unknown>) => void): Buffer {
  const hlen = bytes.readUInt32BE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + hlen).toString('utf8')) as Record<string, unknown>;
  edit(header);
  const next = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(next.length);
  return Buffer.concat([bytes.subarray(0, 8), len, next, bytes.subarray(12 + hlen)]);
}

describe('bundle key derivation is fixed by the desk', () => {
  const [a, b] = college(2, 3);
  if (!a || !b) throw new Error('no pcs');
  opened.push(a, b);
  recordDecision(a, 'dev-a', { idNumber: idOf(0), decision: 'approve', reasons: [], note: '', reviewer: '张老师' });
  const good = buildBundle(a, 'dev-a', { noScans: true, passphrase: PW }).bytes;
  const expect1 = { collegeId: collegeId(b), college: b.college };

  it('a header asking for more scrypt work is refused at once, before any key work', () => {
    // 2^20 with r=16, p=4 was accepted before: ~17 s and 2.3 GB per try on the main thread.
    for (const kdf of [{ N: 1 << 20, r: 16, p: 4 }, { N: 1 << 15, r: 8, p: 1 }, { N: 16384, r: 9, p: 1 }, { N: 16384, r: 8, p: 2 }, { N: 12345, r: 8, p: 1 }, { N: 16384, r: 8, p: 1, name: 'argon2' }]) {
      const bytes = withHeader(good, (h) => {
        h.kdf = { ...(h.kdf as object), ...kdf };
      });
      // A passphrase that would take scrypt forever if it ran: the refusal must not depend on it.
      const started = process.hrtime.bigint();
      expect(code(() => openBundle(bytes, PW, expect1))).toBe('bundle_kdf_unsupported');
      // Not a timed assertion of the refusal: a sanity bound that no derivation at 2^20 ran.
      expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
    }
  });

  it('the desk own cost still opens', () => {
    expect(openBundle(good, PW, expect1).manifest.events.length).toBeGreaterThan(0);
  });

  it('the readable header holds nothing to test a passphrase guess against', () => {
    const { header } = readHeader(good);
    expect(Object.keys(header).sort()).toEqual(['cipherLength', 'college', 'collegeId', 'createdAt', 'format', 'fromWorkspace', 'iv', 'kdf', 'toWorkspace']);
    // Before: keyCheck = sha256('zsb-sync-keycheck\0' + scrypt(passphrase)) let anyone with the
    // header test guesses offline. Now a guess can only be checked with the ciphertext itself.
    const h = header as unknown as Record<string, unknown>;
    expect(h.keyCheck).toBeUndefined();
    const key = scryptSync(PW, Buffer.from(header.kdf.salt, 'base64'), 32, { N: header.kdf.N, r: header.kdf.r, p: header.kdf.p });
    const digest = createHash('sha256').update('zsb-sync-keycheck\0').update(key).digest('hex').slice(0, 16);
    expect(JSON.stringify(header)).not.toContain(digest);
  });

  it('a wrong passphrase is still told apart from a damaged bundle', () => {
    expect(code(() => openBundle(good, 'not the passphrase at all', expect1))).toBe('bundle_wrong_passphrase');
    const hlen = good.readUInt32BE(8);
    const damaged = Buffer.from(good);
    const at = 12 + hlen + 40;
    damaged[at] = (damaged[at] ?? 0) ^ 0x01;
    expect(code(() => openBundle(damaged, PW, expect1))).toBe('bundle_tampered');
  });
});
