/**
 * 报送函 — the cover letter that goes with a table to the provincial office: which files, their
 * SHA-256, how many applicants of each category, the review period, the college's key fingerprint
 * (with which the office checks the signed manifest), and a place for the college's seal. It is a
 * file of the export like the others: listed and hashed in the manifest, signed when the table is.
 */
import type { ExportedFile } from '../../shared/api/export.js';
import { categoryInfo } from '../../shared/domain.js';
import { zhDate } from '../../shared/export/dates.js';
import { groupedHex } from '../../shared/fingerprint.js';
import { bindingKeywords, finishDoc, openDoc } from './pdfDoc.js';
import type { TableData } from './tableData.js';
import { fill, type ExportTemplate } from './templates.js';

export interface CoverLetterOptions {
  exportId: string;
  dataSha256: string;
  keyFingerprint: string;
  exportedAt: Date;
  /** The table's files, described for the reader. */
  files: (ExportedFile & { what: string })[];
  /** The college's contact (settings), printed when set. */
  contact: { phone: string; email: string };
  signature?: { name: string; reason: string; location: string } | undefined;
}

const M = 56;

export async function writeCoverLetter(t: ExportTemplate, data: TableData, o: CoverLetterOptions): Promise<{ pdf: Buffer; pages: number }> {
  const title = fill(t.coverLetter?.title ?? '报送函', { title: data.title });
  const d = await openDoc({
    title, author: data.college.name, subject: t.recipient, at: o.exportedAt, layout: 'portrait',
    keywords: bindingKeywords(o.exportId, o.dataSha256, o.keyFingerprint),
  });
  const { doc, W, H } = d;
  const width = W - 2 * M;
  const bottom = H - 40;
  let y = 0;
  const page = (): void => {
    doc.addPage();
    y = 56;
  };
  const para = (text: string, size = 11, opt: { font?: 'R' | 'B'; indent?: boolean; align?: 'left' | 'right' | 'center'; after?: number } = {}): void => {
    const body = opt.indent ? `\u3000\u3000${text}` : text;
    doc.font(opt.font ?? 'R').fontSize(size);
    const h = doc.heightOfString(body, { width, lineGap: 3 });
    if (y + h > bottom) page();
    doc.fillColor('black').text(body, M, y, { width, lineGap: 3, align: opt.align ?? 'left' });
    y += h + (opt.after ?? 6);
  };

  page();
  para(title, 17, { font: 'B', align: 'center', after: 18 });
  para(`${t.recipient}：`, 12, { after: 4 });
  para(fill(t.coverLetter?.body ?? '', { title: data.title }), 11.5, { indent: true, after: 12 });

  para('一、报送文件', 12, { font: 'B' });
  o.files.forEach((f, i) => {
    para(`${i + 1}. ${f.name}`, 10.5, { after: 1 });
    para(`${f.what}；${f.size.toLocaleString('en-US')} 字节`, 9.5, { after: 1 });
    para(`SHA-256：${f.sha256}`, 9, { after: 8 });
  });

  para('二、审核结果', 12, { font: 'B' });
  const period = data.reviewPeriod ? `${zhDate(data.reviewPeriod.from)}至${zhDate(data.reviewPeriod.to)}` : '—';
  para(`审核时间：${period}；导出日期：${zhDate(data.exportDate)}；${data.signoff ? '经初审、复核两级审核' : '一级审核'}。`, 10.5);
  if (data.noneConfirmed) para(fill(t.noneText, { year: String(t.year) }), 10.5, { font: 'B' });
  const sum = data.totals.reduce((s, x) => ({ approve: s.approve + x.approve, reject: s.reject + x.reject, ret: s.ret + x.return, total: s.total + x.total }), { approve: 0, reject: 0, ret: 0, total: 0 });
  for (const x of data.totals) {
    para(`${categoryInfo(x.category).label}：共 ${x.total} 人，通过 ${x.approve} 人，不通过 ${x.reject} 人，退回补正 ${x.return} 人。`, 10.5, { after: 2 });
  }
  para(`合计：共 ${sum.total} 人，通过 ${sum.approve} 人，不通过 ${sum.reject} 人，退回补正 ${sum.ret} 人。`, 10.5, { font: 'B', after: 10 });

  para('三、核验方式', 12, { font: 'B' });
  para(`学校签名密钥指纹（SHA-256）：`, 10.5, { after: 1 });
  para(groupedHex(o.keyFingerprint), 10.5, { font: 'B', after: 4 });
  para(
    `导出编号 ${o.exportId}。同一文件夹中的 manifest.json 记录上述文件的 SHA-256，并以该密钥签名；PDF 文件另有学校证书的数字签名。收件单位可用“资格审核台”的校验功能（verify 目录 --key 指纹）核验，指纹应与本函及学校另行告知的一致。`,
    9.5, { after: 12 },
  );
  const contact = [o.contact.phone && `电话 ${o.contact.phone}`, o.contact.email && `电子邮箱 ${o.contact.email}`].filter(Boolean).join('；');
  if (contact) para(`联系方式：${contact}`, 10.5);

  // The seal goes over the college's name and the date; keep room for it on the same page.
  if (y + 130 > bottom) page();
  y += 50;
  doc.font('R').fontSize(12).fillColor('black');
  doc.text(`${data.college.name}（盖章）`, M, y, { width: width - 20, align: 'right', lineBreak: false });
  doc.text(zhDate(data.exportDate), M, y + 22, { width: width - 20, align: 'right', lineBreak: false });
  doc.font('R').fontSize(9).fillColor('#555555').text(`学校代码：${data.college.code}`, M, y + 44, { width: width - 20, align: 'right', lineBreak: false });

  return finishDoc(d, {
    verifyLine: `导出编号 ${o.exportId} · 数据校验 ${o.dataSha256.slice(0, 16)} · 签名密钥 ${o.keyFingerprint.slice(0, 16)}`,
    draft: false,
    margin: M,
    signature: o.signature ? { ...o.signature, at: o.exportedAt } : undefined,
  });
}
