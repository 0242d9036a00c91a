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
import { checkDigit } from '../../../shared/idcard.js';
import { recordDecision } from '../../../electron/review/decisions.js';
import { openWorkspace, type Workspace } from '../../../electron/workspace/workspace.js';

export function tempDir(prefix = 'desk-export-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A valid Hunan ID number made from a running number (check digit computed, sex from n). */
export function idFor(n: number): string {
  // 1,000 sequence numbers per birth date; the date moves on one day per thousand.
  const birth = new Date(Date.UTC(2003, 3, 15 + Math.floor(n / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430102${birth}${String(n % 1000).padStart(3, '0')}`;
  return first17 + (checkDigit(first17) ?? '0');
}

export interface ApplicantSpec {
  name: string;
  category: CategoryCode;
  decision?: Decision;
  reasons?: string[];
  note?: string;
  school?: string;
  major?: string;
}

const SURNAMES = ['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '周', '吴', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '堃', '喆', '玥', '垚', '子涵', '梓萱'];

export function nameFor(i: number): string {
  return `${SURNAMES[i % SURNAMES.length] ?? '张'}${GIVEN[(i * 7) % GIVEN.length] ?? '伟'}${i % 3 === 0 ? (GIVEN[i % GIVEN.length] ?? '') : ''}`;
}

export function addApplicants(ws: Workspace, specs: ApplicantSpec[], reviewer = '审核员甲'): string[] {
  const ins = ws.db.prepare(
    `INSERT INTO applicants (id_number, row_no, name, sex, category, school, major, discharge_cert_no, enlist_date, discharge_date, merit,
       competition, award, award_level, award_date, hukou, poverty_issuer, import_id, updated_at)
     VALUES (@id, @row, @name, @sex, @category, @school, @major, @cert, @enlist, @discharge, @merit, @competition, @award, @level, @awardDate,
       @hukou, @issuer, 'test', '2024-02-04T00:00:00Z')`,
  );
  const base = (ws.db.prepare('SELECT COUNT(*) AS n FROM applicants').get() as { n: number }).n;
  const ids: string[] = [];
  ws.db.transaction(() => {
    specs.forEach((s, k) => {
      const i = base + k;
      const id = idFor(i + 1);
      ids.push(id);
      ins.run({
        id, row: i + 1, name: s.name, sex: Number(id[16]) % 2 === 1 ? '男' : '女', category: s.category,
        school: s.school ?? '湖南交通职业技术学院', major: s.major ?? '道路桥梁工程技术',
        cert: s.category === 'veteran' ? `湘退字〔2022〕第${String(1000 + i)}号` : '',
        enlist: s.category === 'veteran' ? '2020-09' : '', discharge: s.category === 'veteran' ? '2022-09' : '',
        merit: s.category === 'veteran' ? (i % 5 === 0 ? '三等功' : '无') : '',
        competition: s.category === 'competition' ? '全国职业院校技能大赛（高职组）' : '',
        award: s.category === 'competition' ? '建筑工程识图' : '', level: s.category === 'competition' ? '一等奖' : '',
        awardDate: s.category === 'competition' ? '2023-06' : '',
        hukou: s.category === 'poverty' ? '湖南省湘西土家族苗族自治州花垣县' : '',
        issuer: s.category === 'poverty' ? '花垣县乡村振兴局' : '',
      });
    });
  })();
  specs.forEach((s, k) => {
    const id = ids[k];
    if (s.decision && id) {
      recordDecision(ws, 'test-device', { idNumber: id, decision: s.decision, reasons: s.reasons ?? (s.decision === 'approve' ? [] : ['missing_docs']), note: s.note ?? '', reviewer });
    }
  });
  return ids;
}

/** A workspace where every exempt and poverty applicant is decided (final exports allowed). */
export function decidedWorkspace(dir = tempDir()): Workspace {
  const ws = openWorkspace(join(dir, 'ws'), { create: true, college: '湖南交通职业技术学院' });
  const specs: ApplicantSpec[] = [];
  const cats: CategoryCode[] = ['veteran', 'competition', 'poverty', 'general'];
  for (let i = 0; i < 24; i++) {
    const category = cats[i % cats.length] ?? 'general';
    const reject = i % 5 === 1;
    specs.push({
      name: nameFor(i),
      category,
      decision: category === 'general' ? undefined : reject ? 'reject' : 'approve',
      reasons: reject ? (category === 'veteran' ? ['discharge_date'] : category === 'competition' ? ['award_level'] : ['poverty_issuer']) : [],
      note: i === 5 ? '退役证扫描件为部队出具的证明，退役时间为2024年3月，不在规定的时间范围内，已电话告知考生本人，考生表示理解并将按普通计划报考' : '',
      school: i === 2 ? '湖南化工职业技术学院（株洲校区）继续教育与培训中心' : undefined,
    });
  }
  addApplicants(ws, specs);
  return ws;
}

export interface TestP12 {
  path: string;
  passphrase: string;
  subject: string;
}

/** A self-signed RSA-2048 certificate in a PKCS#12 file, as a college's CA-issued one would be. */
export function makeP12(dir: string, subject = '湖南交通职业技术学院（测试）'): TestP12 {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01a2b3c4d5';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
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
