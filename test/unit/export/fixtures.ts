/**
 * Test data for the export tests: a workspace with applicants of every category and decisions,
 * and a throw-away PKCS#12 certificate (never committed; made fresh by each test run).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import type { CategoryCode, Decision } from '../../../shared/domain.js';
import { listApplicantRecords } from '../../../electron/applicants/index.js';
import { setCollegeSettings } from '../../../electron/college/index.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { applicantFor, idFor, importApplicants, nameFor } from '../../fixtures/workspace.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';

export function tempDir(prefix = 'desk-export-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export { idFor, nameFor };

export interface ApplicantSpec {
  name: string;
  category: CategoryCode;
  decision?: Decision;
  reasons?: string[];
  note?: string;
  school?: string;
  major?: string;
  hukou?: string;
  gradYear?: number;
  /** A given ID number (e.g. one from outside Hunan); a valid Hunan one otherwise. */
  idNumber?: string;
}

/** What the platform has for a 湖湘工匠燎原计划 applicant (the shared fixture leaves it empty). */
const CRAFT = { craftEnrollDate: '2022-09', craftGradDate: '2024-06', craftContest: '湖南省职业院校技能竞赛（高职组）汽车技术', craftContestLevel: '省级一等奖' };

/**
 * Adds applicants the way the desk does — a re-import of the list with them appended (the list
 * as stored plus the new rows) — and records the decisions the specs ask for.
 */
export async function addApplicants(ws: Workspace, specs: ApplicantSpec[], reviewer = '审核员甲'): Promise<string[]> {
  const existing = listApplicantRecords(ws.db).map((a) => a.declared);
  const base = existing.length;
  const fresh = specs.map((s, k) => {
    const i = base + k;
    const a = applicantFor(i, {
      category: s.category, name: s.name, ...(s.school ? { school: s.school } : {}), ...(s.major ? { major: s.major } : {}),
      ...(s.category === 'craftsman' ? CRAFT : {}), ...(s.hukou === undefined ? {} : { hukou: s.hukou }), ...(s.gradYear ? { gradYear: s.gradYear } : {}),
      ...(s.idNumber ? { idNumber: s.idNumber } : {}),
    });
    return { ...a, merit: s.category === 'veteran' ? (i % 5 === 0 ? '三等功' : '无') : '' };
  });
  await importApplicants(ws, [...existing, ...fresh], { checks: false });
  specs.forEach((s, k) => {
    const id = fresh[k]?.idNumber;
    if (s.decision && id) {
      recordDecision(ws, 'test-device', { idNumber: id, decision: s.decision, reasons: s.reasons ?? (s.decision === 'approve' ? [] : ['missing_docs']), note: s.note ?? '', reviewer });
    }
  });
  return fresh.map((a) => a.idNumber);
}

/** The 学校代码 the export tests' college is given (a made-up one). */
export const TEST_COLLEGE_CODE = '14001';

/**
 * A workspace where every exempt, 燎原计划 and poverty applicant is decided and the college has
 * its name and 学校代码 (final exports allowed).
 */
export async function decidedWorkspace(dir = tempDir()): Promise<Workspace> {
  const ws = openWorkspace(join(dir, 'ws'), { create: true, college: '湖南交通职业技术学院' });
  setCollegeSettings(ws, 'test-device', { code: TEST_COLLEGE_CODE, noticePhone: '0731-88888888', noticeEmail: 'zsb@example.edu.cn' }, '管理员');
  const specs: ApplicantSpec[] = [];
  const cats: CategoryCode[] = ['veteran', 'competition', 'craftsman', 'poverty', 'general'];
  for (let i = 0; i < 30; i++) {
    const category = cats[i % cats.length] ?? 'general';
    // One rejection in every category over the 30 (i = 1, 8, 15, 22, 29).
    const reject = i % 7 === 1;
    specs.push({
      name: nameFor(i),
      category,
      decision: category === 'general' ? undefined : reject ? 'reject' : 'approve',
      reasons: reject ? (category === 'veteran' ? ['discharge_date'] : category === 'competition' ? ['award_level'] : category === 'poverty' ? ['poverty_issuer'] : ['missing_docs']) : [],
      note: i === 15 ? '退役证扫描件为部队出具的证明，退役时间为2024年3月，不在规定的时间范围内，已电话告知考生本人，考生表示理解并将按普通计划报考' : '',
      school: i === 2 ? '湖南化工职业技术学院（株洲校区）继续教育与培训中心' : undefined,
    });
  }
  await addApplicants(ws, specs);
  return ws;
}

export interface TestP12 {
  path: string;
  passphrase: string;
  subject: string;
}

/** A self-signed RSA-2048 certificate in a PKCS#12 file, as a college's CA-issued one would be. */
export function makeP12(dir: string, subject = '湖南交通职业技术学院（测试）', validFrom = new Date(Date.now() - 86_400_000)): TestP12 {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01a2b3c4d5';
  cert.validity.notBefore = validFrom;
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  // UTF8String, as real college certificates carry Chinese names (forge's default would put the
  // UTF-8 bytes in a PrintableString, which no CA does). forge's typings call the tag a Class.
  const utf8 = forge.asn1.Type.UTF8 as number as forge.asn1.Class;
  const attrs = [{ shortName: 'CN', value: subject, valueTagClass: utf8 }, { shortName: 'O', value: 'Test' }, { shortName: 'C', value: 'CN' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(key, forge.md.sha256.create());
  const passphrase = 'test-pass';
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' });
  const path = join(dir, 'college-test.p12');
  writeFileSync(path, Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  return { path, passphrase, subject };
}
