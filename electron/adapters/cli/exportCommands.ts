/**
 * CLI commands of the export area: `export` writes a signed review table, `verify` checks a
 * folder (no workspace needed — this is what the provincial office runs).
 */
import { EXPORT_TABLES } from '../../../shared/api/export.js';
import { need, num, oneOf, str, type CliCommand } from './commands.js';

export const exportCommands: CliCommand[] = [
  {
    name: 'export',
    summary: '导出审核表（XLSX + 签名 PDF + 清单） / export a signed review table',
    usage:
      'export --workspace WS --table exempt|poverty|notice --out DIR [--year Y] [--p12 FILE --passphrase-env VAR] [--draft] [--confirm-none]'
      + ' [--notice-start YYYY-MM-DD] [--notice-days N] [--notice-phone TEL] [--notice-email MAIL] [--json]',
    options: {
      table: { type: 'string' }, out: { type: 'string' }, year: { type: 'string' }, p12: { type: 'string' }, 'passphrase-env': { type: 'string' }, draft: { type: 'boolean' },
      'confirm-none': { type: 'boolean' }, 'notice-start': { type: 'string' }, 'notice-days': { type: 'string' }, 'notice-phone': { type: 'string' }, 'notice-email': { type: 'string' },
    },
    workspace: 'open',
    call: 'export.run',
    toArgs: (o) => {
      // The passphrase comes from an environment variable so it never shows in the process list.
      const envName = str(o['passphrase-env']);
      const year = str(o.year);
      const [start, days, phone, email] = [str(o['notice-start']), num(o['notice-days']), str(o['notice-phone']), str(o['notice-email'])];
      const notice = {
        ...(start === undefined ? {} : { start }),
        ...(days === undefined ? {} : { days }),
        ...(phone === undefined ? {} : { phone }),
        ...(email === undefined ? {} : { email }),
      };
      return {
        table: oneOf(str(o.table), EXPORT_TABLES, '--table'),
        out: need(str(o.out), '--out'),
        ...(year ? { year: Number(year) } : {}),
        ...(str(o.p12) ? { p12Path: str(o.p12) } : {}),
        ...(envName ? { passphrase: process.env[envName] ?? '' } : {}),
        draft: o.draft === true,
        confirmNone: o['confirm-none'] === true,
        ...(Object.keys(notice).length > 0 ? { notice } : {}),
      };
    },
    print: (r) => {
      return [
        `已导出《${r.title}》${r.draft ? '（草稿，未签名）' : ''}：${r.rows} 人，PDF ${r.pages} 页，用时 ${r.ms} ms`,
        `目录：${r.dir}`,
        ...r.files.map((f) => `  ${f.name}  ${f.size} 字节  SHA-256 ${f.sha256.slice(0, 16)}…`),
        r.draft ? '' : r.pdfSigner ? `PDF 签名证书：${r.pdfSigner}` : '注意：未提供证书（--p12），PDF 未加数字签名，仅清单已签名。',
        `导出编号 ${r.exportId} · 签名密钥指纹 ${r.keyFingerprint.slice(0, 16)}`,
      ].filter(Boolean).join('\n');
    },
  },
  {
    name: 'verify',
    summary: '校验导出目录是否被改动 / verify an export folder',
    usage: 'verify DIR [--key FINGERPRINT] [--json]',
    options: { key: { type: 'string' } },
    workspace: 'none',
    call: 'export.verify',
    toArgs: (o, positionals) => ({ dir: need(positionals[0], '目录（DIR）'), ...(str(o.key) === undefined ? {} : { expectKey: str(o.key) }) }),
    print: (r) => {
      return [
        `校验通过：《${r.title}》 ${r.college}，${r.rows} 人，导出于 ${r.exportedAt}`,
        ...r.files.map((f) => `  ✓ ${f.name}  SHA-256 ${f.sha256.slice(0, 16)}…`),
        r.pdfSigner ? `  ✓ PDF 数字签名有效（${r.pdfSigner}）` : '  PDF 无证书签名（清单签名有效）',
        `导出编号 ${r.exportId} · 签名密钥指纹 ${r.keyFingerprint.slice(0, 16)}`,
        r.keyChecked
          ? '  ✓ 签名密钥与所给指纹一致'
          : '提示：本次只校验了文件完整且自洽；请用 --key 核对学校另行报送的密钥指纹，才能确认是该校签发。',
      ].join('\n');
    },
  },
];
