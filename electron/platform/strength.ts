/**
 * How strong a secret must be (issue 19): an account's password or PIN, and the college's sync
 * passphrase. Length first, then the common-password list (resources/security/common-passwords.txt,
 * compared NFKC-normalised and lower-cased), each refusal with a message that says what to do.
 *
 * Why these numbers: sign-in is on the PC itself, behind a per-account back-off, so a password of
 * 8 characters or a PIN of 6 digits (10^6 tries at 5 per back-off window) is out of reach there;
 * the sync passphrase protects bundles that travel on USB sticks, where an attacker can try
 * guesses offline at one scrypt each — it gets 10 characters and two kinds of character.
 */
import { readFileSync } from 'node:fs';
import { DeskError } from '../../shared/api/index.js';
import { findResource } from './resources.js';

export const ACCOUNT_PASSWORD_MIN = 8;
export const ACCOUNT_PIN_MIN = 6;
export const PASSPHRASE_MIN = 10;

let common: Set<string> | null = null;

function normalise(s: string): string {
  return s.normalize('NFKC').toLowerCase().trim();
}

/** The shipped list; refusing to run without it is better than accepting '123456'. */
function commonPasswords(): Set<string> {
  if (!common) {
    const file = findResource('security/common-passwords.txt');
    if (!file) throw new Error('resources/security/common-passwords.txt is missing');
    common = new Set(readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')).map(normalise));
  }
  return common;
}

/** True for the secrets everyone tries first: listed, one repeated character, or a run like 123456 / 654321. */
export function isCommonSecret(secret: string): boolean {
  const s = normalise(secret);
  if (commonPasswords().has(s)) return true;
  if (new Set(s).size <= 1) return true;
  const codes = [...s].map((c) => c.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  return Math.abs(step) === 1 && codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step);
}

/** An account's secret: a PIN of at least 6 digits, or a password of at least 8 characters, not a common one. */
export function checkAccountSecret(secret: string, name = ''): void {
  const s = secret.normalize('NFKC');
  if (/^\d+$/.test(s)) {
    if (s.length < ACCOUNT_PIN_MIN) throw new DeskError('secret_weak', `PIN 至少需要 ${ACCOUNT_PIN_MIN} 位数字（现在 ${s.length} 位）。`);
  } else if ([...s].length < ACCOUNT_PASSWORD_MIN) {
    throw new DeskError('secret_weak', `密码至少需要 ${ACCOUNT_PASSWORD_MIN} 个字符（现在 ${[...s].length} 个），或使用至少 ${ACCOUNT_PIN_MIN} 位数字的 PIN。`);
  }
  if (isCommonSecret(s) || (name !== '' && normalise(s).includes(normalise(name)))) {
    throw new DeskError('secret_weak', '这个密码或 PIN 太常见（或包含账户名），很容易被猜到，请换一个。');
  }
}

/** The college's sync passphrase: at least 10 characters, two kinds of character, not a common one. */
export function checkPassphrase(passphrase: string): void {
  const s = passphrase.normalize('NFKC');
  if ([...s].length < PASSPHRASE_MIN) {
    throw new DeskError('passphrase_weak', `同步口令至少需要 ${PASSPHRASE_MIN} 个字符（现在 ${[...s].length} 个）：同步包会离开这台电脑，口令可被离线猜测。`);
  }
  const kinds = [/\p{Script=Han}/u, /[a-zA-Z]/, /\d/, /[^\p{Script=Han}a-zA-Z\d]/u].filter((r) => r.test(s)).length;
  if (kinds < 2 || isCommonSecret(s)) {
    throw new DeskError('passphrase_weak', '同步口令太简单（常见口令，或只有一种字符）。请用汉字、字母、数字、符号中的至少两种，例如“湖南某校 同步 2026”。');
  }
}
