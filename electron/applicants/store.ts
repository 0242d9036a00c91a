/**
 * The applicants table's reads: the one place other areas get declared data from (the checks,
 * OCR, review, export and sync call these). Writes happen only in the import
 * (importService.ts), inside its transaction.
 */
import { DeskError } from '../../shared/api/index.js';
import type { ApplicantDeclared, CategoryCode } from '../../shared/domain.js';
import { maskId } from '../../shared/idcard.js';
import type { DeclaredChange } from '../../shared/review/state.js';
import type { Db } from '../workspace/index.js';

/** Declared field → column of the applicants table, in the table's order. */
export const COLUMNS: [keyof ApplicantDeclared, string][] = [
  ['name', 'name'], ['sex', 'sex'], ['phone', 'phone'], ['category', 'category'], ['school', 'school'],
  ['major', 'major'], ['gradYear', 'grad_year'], ['dischargeCertNo', 'discharge_cert_no'],
  ['enlistDate', 'enlist_date'], ['dischargeDate', 'discharge_date'], ['merit', 'merit'],
  ['competition', 'competition'], ['award', 'award'], ['awardLevel', 'award_level'],
  ['awardDate', 'award_date'], ['hukou', 'hukou'], ['povertyIssuer', 'poverty_issuer'], ['targetSchool', 'target_school'],
  ['targetMajor', 'target_major'], ['craftEnrollDate', 'craft_enroll_date'], ['craftGradDate', 'craft_grad_date'],
  ['craftContest', 'craft_contest'], ['craftContestLevel', 'craft_contest_level'],
];

/** A row of the applicants table as stored. */
export interface ApplicantRow {
  id_number: string;
  row_no: number;
  name: string;
  sex: string;
  phone: string;
  category: CategoryCode;
  school: string;
  major: string;
  grad_year: number | null;
  discharge_cert_no: string;
  enlist_date: string;
  discharge_date: string;
  merit: string;
  competition: string;
  award: string;
  award_level: string;
  award_date: string;
  hukou: string;
  poverty_issuer: string;
  target_school: string;
  target_major: string;
  craft_enroll_date: string;
  craft_grad_date: string;
  craft_contest: string;
  craft_contest_level: string;
  withdrawn: number;
}

export function toDeclared(r: ApplicantRow): ApplicantDeclared {
  return {
    idNumber: r.id_number, name: r.name, sex: (r.sex as ApplicantDeclared['sex']) ?? '', phone: r.phone,
    category: r.category, school: r.school, major: r.major, gradYear: r.grad_year,
    dischargeCertNo: r.discharge_cert_no, enlistDate: r.enlist_date, dischargeDate: r.discharge_date,
    merit: r.merit, competition: r.competition, award: r.award, awardLevel: r.award_level,
    awardDate: r.award_date, hukou: r.hukou, povertyIssuer: r.poverty_issuer, targetSchool: r.target_school, targetMajor: r.target_major,
    craftEnrollDate: r.craft_enroll_date, craftGradDate: r.craft_grad_date, craftContest: r.craft_contest, craftContestLevel: r.craft_contest_level,
  };
}

/** One applicant as the other areas see it: declared data, place in the list, still on it. */
export interface ApplicantRecord {
  declared: ApplicantDeclared;
  rowNo: number;
  withdrawn: boolean;
}

const toRecord = (r: ApplicantRow): ApplicantRecord => ({ declared: toDeclared(r), rowNo: r.row_no, withdrawn: r.withdrawn === 1 });

export function findApplicant(db: Db, idNumber: string): ApplicantRecord | null {
  const row = db.prepare('SELECT * FROM applicants WHERE id_number = ?').get(idNumber) as ApplicantRow | undefined;
  return row ? toRecord(row) : null;
}

/** The applicant, or the one refusal every area gives for an unknown ID number. */
export function requireApplicant(db: Db, idNumber: string): ApplicantRecord {
  const a = findApplicant(db, idNumber);
  if (!a) throw new DeskError('not_found', `找不到身份证号为 ${maskId(idNumber)} 的考生。`);
  return a;
}

export function isKnownApplicant(db: Db, idNumber: string): boolean {
  return db.prepare('SELECT 1 FROM applicants WHERE id_number = ?').get(idNumber) !== undefined;
}

/** Every applicant on the current list (withdrawn ones only when asked), in list order. */
export function listApplicantRecords(db: Db, opts: { withdrawn?: boolean } = {}): ApplicantRecord[] {
  const sql = opts.withdrawn ? 'SELECT * FROM applicants ORDER BY row_no, id_number' : 'SELECT * FROM applicants WHERE withdrawn = 0 ORDER BY row_no, id_number';
  return (db.prepare(sql).all() as ApplicantRow[]).map(toRecord);
}

/** What the queue needs of each applicant on the list, without the rest of the declared data. */
export interface QueueApplicant {
  idNumber: string;
  name: string;
  phone: string;
  category: CategoryCode;
  rowNo: number;
}

export function queueApplicants(db: Db): QueueApplicant[] {
  return db
    .prepare('SELECT id_number AS idNumber, name, phone, category, row_no AS rowNo FROM applicants WHERE withdrawn = 0 ORDER BY row_no, id_number')
    .all() as QueueApplicant[];
}

/** Applicants on the list chosen by category, row range and/or ID numbers (an assignment's share). */
export function selectApplicantIds(db: Db, q: { category?: CategoryCode | undefined; fromRow?: number | undefined; toRow?: number | undefined; idNumbers?: readonly string[] | undefined }): string[] {
  const where = ['withdrawn = 0'];
  const params: Record<string, unknown> = {};
  if (q.category) { where.push('category = @category'); params.category = q.category; }
  if (q.fromRow !== undefined) { where.push('row_no >= @fromRow'); params.fromRow = q.fromRow; }
  if (q.toRow !== undefined) { where.push('row_no <= @toRow'); params.toRow = q.toRow; }
  if (q.idNumbers) { where.push('id_number IN (SELECT value FROM json_each(@ids))'); params.ids = JSON.stringify(q.idNumbers); }
  return db.prepare(`SELECT id_number FROM applicants WHERE ${where.join(' AND ')} ORDER BY row_no`).pluck().all(params) as string[];
}

/** Applicants on the current list. */
export function countApplicants(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM applicants WHERE withdrawn = 0').get() as { n: number }).n;
}

/** Every applicant ever imported, withdrawn ones included (what a backup or a clone holds). */
export function countAllApplicants(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM applicants').get() as { n: number }).n;
}

/** Other applicants on the list with this phone number (duplicate checks). */
export function idsWithPhone(db: Db, phone: string, except: string): string[] {
  return db.prepare('SELECT id_number FROM applicants WHERE phone = ? AND withdrawn = 0 AND id_number <> ?').pluck().all(phone, except) as string[];
}

/** Other applicants on the list whose ID number shares the first 17 characters (duplicate checks). */
export function idsWithSameFirst17(db: Db, first17: string, except: string): string[] {
  return db
    .prepare("SELECT id_number FROM applicants WHERE id_number >= ? AND id_number <= ? || 'X' AND length(id_number) >= 17 AND withdrawn = 0 AND id_number <> ?")
    .pluck()
    .all(first17, first17, except) as string[];
}

/**
 * The newest change of each applicant's declared data (removal from and return to the list do
 * not count): what "changed since decided" compares with (shared/review/state.ts).
 */
export function latestDeclaredChanges(db: Db): Map<string, DeclaredChange> {
  const rows = db
    .prepare("SELECT id_number, MAX(hlc) AS hlc, MAX(at) AS at FROM applicant_changes WHERE field <> 'withdrawn' GROUP BY id_number")
    .all() as { id_number: string; hlc: string; at: string }[];
  return new Map(rows.map((r) => [r.id_number, { hlc: r.hlc, at: r.at }]));
}

export function latestDeclaredChange(db: Db, idNumber: string): DeclaredChange | undefined {
  const r = db
    .prepare("SELECT MAX(hlc) AS hlc, MAX(at) AS at FROM applicant_changes WHERE field <> 'withdrawn' AND id_number = ?")
    .get(idNumber) as { hlc: string | null; at: string | null };
  return r.hlc && r.at ? { hlc: r.hlc, at: r.at } : undefined;
}

/** True when anything was ever imported (the first import needs no backup before it). */
export function hasApplicants(db: Db): boolean {
  return db.prepare('SELECT 1 FROM applicants LIMIT 1').get() !== undefined;
}

/** The last import's id, part of the stamp that tells whether stored check results are current. */
export function lastImportId(db: Db): string {
  return (db.prepare('SELECT id FROM imports ORDER BY at DESC, rowid DESC LIMIT 1').get() as { id: string } | undefined)?.id ?? '';
}

/**
 * Changes whenever the list does, whichever PC's import it was and in whatever order it arrived:
 * part of the stamp that tells whether stored check results are current.
 */
export function listStamp(db: Db): string {
  const v = db.prepare('SELECT COUNT(*) AS n, MAX(hlc) AS h FROM applicant_versions').get() as { n: number; h: string | null };
  return `${lastImportId(db)}:${v.n}:${v.h ?? ''}`;
}

const ALIAS = /^[a-z_]+$/;

/** Copies the list, its versions, imports and change history from an attached database (a clone for another PC). */
export function copyApplicantsFrom(db: Db, alias: string): void {
  if (!ALIAS.test(alias)) throw new Error(`invalid alias ${alias}`);
  db.exec(`INSERT INTO main.applicants SELECT * FROM ${alias}.applicants;
    INSERT INTO main.imports SELECT * FROM ${alias}.imports;
    INSERT INTO main.applicant_changes SELECT * FROM ${alias}.applicant_changes;
    INSERT INTO main.applicant_versions SELECT * FROM ${alias}.applicant_versions;`);
}
