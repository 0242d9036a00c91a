/**
 * The review table as a printable PDF: A4 landscape, the title, college, 学校代码, review period
 * and export date on every page; the sections one after the other (序号 restarting in each), the
 * header row repeated wherever a section continues on a new page; ID numbers, names and dates
 * never broken over two lines; then the per-category totals, the note and — once, after the last
 * row — the signature and seal block. A 公示 is a public notice instead: the college in the
 * title, the 公示 text, the lists, the 公示期 and contact for objections and the college's dated
 * sign-off, without internal signature lines.
 */
import { zhDate } from '../../shared/export/dates.js';
import { categoryInfo } from '../../shared/domain.js';
import { finishDoc, openDoc, bindingKeywords } from './pdfDoc.js';
import { cellText, type TableData, type TableSection } from './tableData.js';
import { fill, type ExportTemplate } from './templates.js';

export interface PdfOptions {
  exportId: string;
  dataSha256: string;
  keyFingerprint: string;
  exportedAt: Date;
  draft: boolean;
  /** Reserve a signature (final exports with a certificate). */
  signature?: { name: string; reason: string; location: string } | undefined;
}

const MX = 28;
/** Cell padding (points), left/right and top/bottom. */
const PAD = 3;
const VPAD = 2.5;
/** Table text sizes tried in turn until the columns that must not wrap fit the page. */
const SIZES = [8.5, 8, 7.5, 7] as const;
/** Below this width (points) a wrapping column is short text that should never wrap either. */
const SHORT_COLUMN = 48;
/** Noto Sans SC's line box is 1.448 em; wrapped cell lines are set 1.2 em apart instead. */
const LINE_BOX = 1.448;
const LINE_STEP = 1.2;
/** Rows of the table that stay on the page of the signature block. */
const KEEP_WITH_TAIL = 3;
/** Height of the signature and seal block (room for a seal of 4 cm). */
const SIGNATURE_BLOCK = 110;

export interface FitColumn {
  /** The template's width (proportions for spare room). */
  template: number;
  /** Width of the header text (points, bold). */
  header: number;
  /** Widths of the values (points), empty ones as 0; a sample is enough for long tables. */
  values: number[];
  nowrap: boolean;
}

const sumOf = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
/** Rows of a long table the width allocation looks at (evenly spread). */
const SAMPLE = 400;
/** Cells taller than this many lines count half as much again: a tall cell is hard to read. */
const TALL = 4;

/**
 * Column widths for the page, or null when the columns that must stay on one line do not fit.
 *
 * A column that must not wrap (ID number, name, date …) always gets what its longest value needs
 * on one line. When everything fits on one line (a column takes at most a third of the page),
 * every column gets that, and spare width goes to a column still too narrow for its longest
 * value, else by the template's proportions. Otherwise headers may wrap, each wrapping column starts
 * narrow, and the rest of the page is handed out step by step to the column whose widening saves
 * the most height per point — so a column that wraps in every row (专科学校) is widened before one
 * long 审核意见 is, and the table needs as few lines as the page allows. Fewer lines is more rows
 * per page, and a row never becomes taller than its longest cell.
 */
export function fitColumns(cols: FitColumn[], width: number): number[] | null {
  const pad = 2 * PAD + 1;
  const cap = width / 3;
  const longest = cols.map((c) => Math.max(0, ...c.values));
  // Wrapping columns count a little slack: their lines are estimated, not laid out (below).
  const slack = pad + 3;
  const full = cols.map((c, i) => (c.nowrap ? Math.max(longest[i] ?? 0, c.header) + pad : Math.min(Math.max((longest[i] ?? 0) + slack, c.header + pad), cap)));
  // Spare width goes to the columns whose values still wrap (past the cap), else by the template.
  const spread = (ws: number[]): number[] => {
    const rest = width - sumOf(ws);
    const beyond = cols.map((c, i) => (c.nowrap ? 0 : Math.max(0, (longest[i] ?? 0) + slack - (ws[i] ?? 0))));
    const weights = sumOf(beyond) > 0 ? beyond : cols.map((c) => c.template);
    return ws.map((x, i) => x + (rest * (weights[i] ?? 0)) / sumOf(weights));
  };
  if (sumOf(full) <= width) return spread(full);
  // Headers may now wrap onto two lines (a value in a one-line column never does).
  const w = cols.map((c, i) => (c.nowrap ? Math.max(longest[i] ?? 0, c.header / 2) + pad : Math.min(full[i] ?? 0, Math.max(SHORT_COLUMN, c.header / 2 + pad))));
  if (sumOf(w) > width) return null;

  const n = cols[0]?.values.length ?? 0;
  const rows = n <= SAMPLE ? [...Array(n).keys()] : Array.from({ length: SAMPLE }, (_, k) => Math.floor((k * n) / SAMPLE));
  // Lines of a value at a width, a little pessimistic: CJK breaks between characters, not inside.
  const linesAt = (v: number, colWidth: number): number => Math.max(1, Math.ceil(v / Math.max(1, colWidth - slack)));
  const lines = cols.map((c, i) => rows.map((r) => (c.nowrap ? 1 : linesAt(c.values[r] ?? 0, w[i] ?? 0))));
  /** Height of the sampled table in lines (a row is as tall as its tallest cell), very tall cells weighed more. */
  const height = (changed: Map<number, number[]>): number =>
    rows.reduce((h, _, k) => {
      let max = 1;
      lines.forEach((l, i) => {
        const x = (changed.get(i) ?? l)[k] ?? 1;
        if (x > max) max = x;
      });
      return h + max + Math.max(0, max - TALL) / 2;
    }, 0);
  let spare = width - sumOf(w);
  let now = height(new Map());
  // Each step makes some rows lower: every cell of such a row taller than the new height must
  // shrink at once (widening one of two wrapping cells gains nothing), so a move widens every
  // column that is in the way. Moves to every lower height are weighed — to one line directly,
  // too — so that a cheap first step elsewhere does not use up the room a whole column needs.
  // The move saving the most lines per point of width is taken, until the room is used up.
  for (let guard = 0; spare >= 1 && guard < 400; guard++) {
    const moves = new Map<string, Map<number, number>>();
    rows.forEach((r, k) => {
      const max = Math.max(...lines.map((l) => l[k] ?? 1));
      for (let to = max - 1; to >= 1; to--) {
        const add = new Map<number, number>();
        for (let i = 0; i < cols.length; i++) {
          if ((lines[i]?.[k] ?? 1) <= to) continue;
          const target = (cols[i]?.values[r] ?? 0) / to + slack;
          if (cols[i]?.nowrap || target > (full[i] ?? 0) + 0.01) return;
          add.set(i, Math.max(0, target - (w[i] ?? 0)));
        }
        const total = sumOf([...add.values()]);
        if (total > spare) return;
        if (total > 0) moves.set([...add].map(([i, x]) => `${i}:${x.toFixed(1)}`).join(','), add);
      }
    });
    let best: { add: Map<number, number>; next: Map<number, number[]>; after: number; gain: number } | null = null;
    for (const add of moves.values()) {
      const next = new Map([...add].map(([i, x]) => [i, rows.map((r) => linesAt(cols[i]?.values[r] ?? 0, (w[i] ?? 0) + x))] as const));
      const after = height(next);
      const gain = (now - after) / sumOf([...add.values()]);
      if (gain > 0 && (!best || gain > best.gain)) best = { add, next, after, gain };
    }
    if (!best) break;
    for (const [i, x] of best.add) {
      w[i] = (w[i] ?? 0) + x;
      lines[i] = best.next.get(i) ?? lines[i] ?? [];
      spare -= x;
    }
    now = best.after;
  }
  // Width no whole line needs still shortens wrapped cells: it goes to the wrapping columns that
  // are short of their one-line width, in proportion to what they lack; any rest by the template.
  const lack = cols.map((c, i) => (c.nowrap ? 0 : Math.max(0, (full[i] ?? 0) - (w[i] ?? 0))));
  const k = Math.min(1, spare / Math.max(1e-9, sumOf(lack)));
  const out = w.map((x, i) => x + k * (lack[i] ?? 0));
  return spread(out);
}

/** A header too wide for its column, broken into lines of equal length (入伍/时间, not 入伍时/间). */
function balancedHeader(text: string, textWidth: number, inner: number): string {
  const lines = Math.ceil(textWidth / Math.max(1, inner));
  if (lines <= 1 || text.includes('\n')) return text;
  const chars = [...text];
  const per = Math.ceil(chars.length / lines);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += per) out.push(chars.slice(i, i + per).join(''));
  return out.join('\n');
}

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export async function writePdf(t: ExportTemplate, data: TableData, opts: PdfOptions): Promise<{ pdf: Buffer; pages: number }> {
  const title = opts.draft ? `${data.title}（草稿）` : data.title;
  const o = await openDoc({
    title, author: data.college.name, subject: t.recipient, at: opts.exportedAt, layout: 'landscape',
    keywords: bindingKeywords(opts.exportId, opts.dataSha256, opts.keyFingerprint),
  });
  const { doc, W, H } = o;
  const total = W - 2 * MX;
  const bottom = H - 34;
  let y = 0;

  const wrapHeight = (text: string, width: number, size: number, font: 'R' | 'B' = 'R'): number => {
    doc.font(font).fontSize(size);
    return doc.heightOfString(text, { width, lineGap: (LINE_STEP - LINE_BOX) * size });
  };
  const paragraph = (text: string, size: number, opt: { indent?: boolean; font?: 'R' | 'B'; align?: 'left' | 'right' | 'center' } = {}): void => {
    const body = opt.indent ? `\u3000\u3000${text}` : text;
    const h = wrapHeight(body, total, size, opt.font);
    if (y + h > bottom) newPage();
    doc.font(opt.font ?? 'R').fontSize(size).fillColor('black')
      .text(body, MX, y, { width: total, lineGap: (LINE_STEP - LINE_BOX) * size, align: opt.align ?? 'left' });
    y += h + size * 0.4;
  };

  const subLines = (): [string, string][] => {
    if (data.public) return [];
    const c = data.college;
    const period = data.reviewPeriod ? `${zhDate(data.reviewPeriod.from)}至${zhDate(data.reviewPeriod.to)}` : '—';
    return [
      [`学校名称：${c.name}\u3000学校代码：${c.code || '（未设置）'}\u3000报送单位：${data.recipient}`, `导出日期：${zhDate(data.exportDate)}`],
      [`审核时间：${period}${data.signoff ? '\u3000（初审、复核两级审核）' : ''}`, `本表共 ${data.counts.rows} 人`],
    ];
  };
  /** A new page with the table's heading; the 公示 text only on the first page. */
  const newPage = (): void => {
    doc.addPage();
    doc.font('B').fontSize(data.public ? 16 : 15).fillColor('black').text(title, MX, 20, { width: total, align: 'center', lineBreak: false });
    y = data.public ? 46 : 42;
    doc.font('R').fontSize(9);
    for (const [left, right] of subLines()) {
      doc.text(left, MX, y, { width: total * 0.78, lineBreak: false });
      doc.text(right, MX, y, { width: total, align: 'right', lineBreak: false });
      y += 12.5;
    }
    y += 3;
  };

  // ---- a section: heading, header row, rows; continued under a repeated header on later pages.
  const drawSection = (section: TableSection, k: number, last: boolean, tail: number): void => {
    const texts = section.rows.map((r) => r.map(cellText));
    let size: number = SIZES[0];
    let widths: number[] | null = null;
    let textWidths: number[][] = [];
    for (const s of SIZES) {
      size = s;
      doc.font('R').fontSize(s);
      textWidths = texts.map((r) => r.map((v) => (v ? doc.widthOfString(v) : 0)));
      doc.font('B');
      const cols = section.columns.map((c, i) => ({
        template: c.width, header: doc.widthOfString(c.header), nowrap: c.nowrap, values: textWidths.map((r) => r[i] ?? 0),
      }));
      widths = fitColumns(cols, total);
      // The smallest size gives up: proportional widths, and long values wrap after all.
      if (!widths && s === SIZES[SIZES.length - 1]) widths = cols.map((c) => (c.template / cols.reduce((a, x) => a + x.template, 0)) * total);
      if (widths) break;
    }
    const w = widths ?? [];
    const xs = w.reduce<number[]>((acc, x, i) => [...acc, (acc[i] ?? MX) + x], [MX]);
    const step = LINE_STEP * size;
    const gap = (LINE_STEP - LINE_BOX) * size;
    const single = size * 1.3 + 2 * VPAD;

    interface Measured { h: number; lines: number[] }
    const measure = (cells: string[], bold: boolean, tw?: number[]): Measured => {
      doc.font(bold ? 'B' : 'R').fontSize(size);
      const lines = cells.map((text, i) => {
        const inner = (w[i] ?? 0) - 2 * PAD;
        // A header broken by balancedHeader has its lines already.
        if (text.includes('\n')) return text.split('\n').length;
        const width = tw?.[i] ?? (text ? doc.widthOfString(text) : 0);
        if (!text || width <= inner || (!bold && section.columns[i]?.nowrap)) return 1;
        return Math.max(1, Math.round(doc.heightOfString(text, { width: inner, lineGap: gap }) / step));
      });
      const n = Math.max(1, ...lines);
      return { h: single + (n - 1) * step, lines };
    };

    let segTop = 0;
    const rule = (): void => {
      doc.lineWidth(0.5).strokeColor('black').moveTo(MX, y).lineTo(MX + total, y).stroke();
    };
    const closeSegment = (): void => {
      doc.lineWidth(0.5).strokeColor('black');
      for (const x of xs) doc.moveTo(x, segTop).lineTo(x, y).stroke();
    };
    const drawRow = (cells: string[], header: boolean, m: Measured): void => {
      if (header) doc.rect(MX, y, total, m.h).fill('#e7e6e6');
      doc.fillColor('black').font(header ? 'B' : 'R').fontSize(size);
      cells.forEach((text, i) => {
        if (!text) return;
        const align = header ? 'center' : (section.columns[i]?.align ?? 'left');
        const inner = (w[i] ?? 0) - 2 * PAD;
        const x0 = (xs[i] ?? MX) + PAD;
        const n = m.lines[i] ?? 1;
        // Centre the ink (CJK glyphs sit 0.28–1.28 em below the text top) in the row.
        const ink = (n - 1) * step + size;
        const top = y + (m.h - ink) / 2 - 0.28 * size;
        if (n === 1 || text.includes('\n')) {
          // Lines placed by hand, which skips pdfkit's line wrapper (most cells, most of the time;
          // and the wrapper adds an empty line after a line that fills the width exactly).
          text.split('\n').forEach((part, j) => {
            const tw = doc.widthOfString(part);
            const dx = align === 'center' ? Math.max(0, (inner - tw) / 2) : align === 'right' ? Math.max(0, inner - tw) : 0;
            doc.text(part, x0 + dx, top + j * step, { lineBreak: false });
          });
          return;
        }
        doc.text(text, x0, top, { width: inner, lineGap: gap, align });
      });
      y += m.h;
      rule();
    };
    doc.font('B').fontSize(size);
    const headers = section.columns.map((c, i) => balancedHeader(c.header, doc.widthOfString(c.header), (w[i] ?? 0) - 2 * PAD));
    const headerM = measure(headers, true);
    const heading = (cont: boolean): void => {
      const n = section.rows.length;
      const c = section.byDecision;
      const counts = data.public ? `共 ${n} 人` : `共 ${n} 人：通过 ${c.approve} 人，不通过 ${c.reject} 人${c.return ? `，退回补正 ${c.return} 人` : ''}`;
      const text = `${CN_NUM[k] ?? k + 1}、${section.title}${cont ? '（续）' : `（${counts}）`}`;
      doc.font('B').fontSize(10).fillColor('black').text(text, MX, y, { width: total, lineBreak: false });
      y += 16;
      segTop = y;
      rule();
      drawRow(headers, true, headerM);
    };
    const empty = section.rows.length === 0;
    const ms = texts.map((r, i) => measure(r, false, textWidths[i]));
    // The last rows of the table go with the signature block: a signature page alone could be
    // put behind any table.
    const keep = last ? Math.max(0, ms.length - KEEP_WITH_TAIL) : -1;
    const rest = (i: number): number => ms.slice(i).reduce((h, m) => h + m.h, 0);
    const first = empty ? single : (ms[0]?.h ?? single);
    if (y + 16 + headerM.h + first > bottom || (keep === 0 && y + 16 + headerM.h + (empty ? single : rest(0)) + 10 + tail > bottom)) newPage();
    heading(false);
    if (empty) {
      doc.font('R').fontSize(size).fillColor('black').text(data.noneConfirmed ? '无' : '本类别无考生', MX, y + (single - size) / 2 - 0.28 * size, { width: total, align: 'center', lineBreak: false });
      y += single;
      rule();
    }
    texts.forEach((r, i) => {
      const m = ms[i] ?? measure(r, false);
      const fresh = y <= segTop + headerM.h + 0.5;
      if (y + m.h > bottom || (i === keep && !fresh && y + rest(i) + 10 + tail > bottom)) {
        closeSegment();
        newPage();
        heading(true);
      }
      drawRow(r, false, m);
    });
    closeSegment();
    y += 10;
  };

  // ---- what follows the last row: 零报告, totals, note, then the signatures or the notice's terms.
  const totalRows = !data.public && data.totals.length > 0
    ? [
        ...data.totals.map((x) => [categoryInfo(x.category).label, x.approve, x.reject, x.return, x.total]),
        ['合计', ...(['approve', 'reject', 'return', 'total'] as const).map((k) => data.totals.reduce((s, x) => s + x[k], 0))],
      ]
    : [];
  const totalRowH = 8.5 * 1.3 + 2 * VPAD;
  const noneWords = data.noneConfirmed ? fill(t.noneText, { year: String(t.year) }) : '';
  const n = data.notice;
  const contact = n ? [n.phone && `联系电话：${n.phone}`, n.email && `电子邮箱：${n.email}`].filter(Boolean).join('；') : '';
  const objection = n && t.notice
    ? fill(t.notice.objection, { start: zhDate(n.start), end: zhDate(n.end), days: String(n.days), contact: contact ? `${contact}。` : t.notice.contactNone })
    : '';
  const paraH = (text: string, size: number, font: 'R' | 'B' = 'R'): number => (text ? wrapHeight(text, total, size, font) + size * 0.4 : 0);
  const totalsH = totalRows.length > 0 ? 16 + totalRowH * (totalRows.length + 1) + 10 : 0;
  const closingH = data.public ? paraH(`\u3000\u3000${objection}`, 10.5) + 86 : t.signatures ? SIGNATURE_BLOCK : 0;
  const tailH = paraH(noneWords, 10, 'B') + totalsH + paraH(t.note ?? '', 9) + closingH;

  newPage();
  if (data.public && t.notice) paragraph(t.notice.intro, 10.5, { indent: true });
  data.sections.forEach((s, k) => drawSection(s, k, k === data.sections.length - 1, tailH));
  // Whatever of the tail does not fit goes to a new page as a whole (a signature block is never split).
  if (y + tailH > bottom) newPage();
  if (noneWords) paragraph(noneWords, 10, { font: 'B' });

  if (totalRows.length > 0) {
    const cols = [['类别', 190], ['通过', 70], ['不通过', 70], ['退回补正', 70], ['合计', 70]] as const;
    doc.font('B').fontSize(10).fillColor('black').text('汇总', MX, y, { lineBreak: false });
    y += 16;
    const top = y;
    const width = cols.reduce((s, [, cw]) => s + cw, 0);
    const line = (cells: readonly (string | number)[], bold: boolean): void => {
      if (bold) doc.rect(MX, y, width, totalRowH).fill('#e7e6e6');
      doc.fillColor('black').font(bold ? 'B' : 'R').fontSize(8.5);
      let x = MX;
      cells.forEach((v, i) => {
        const cw = cols[i]?.[1] ?? 0;
        doc.text(String(v), x + PAD, y + (totalRowH - 8.5) / 2 - 0.28 * 8.5, { width: cw - 2 * PAD, align: i === 0 ? 'left' : 'center', lineBreak: false });
        x += cw;
      });
      doc.lineWidth(0.5).strokeColor('black').moveTo(MX, y).lineTo(MX + width, y).stroke();
      y += totalRowH;
    };
    line(cols.map(([h]) => h), true);
    totalRows.forEach((r) => line(r, false));
    doc.lineWidth(0.5).moveTo(MX, y).lineTo(MX + width, y).stroke();
    let x = MX;
    doc.moveTo(x, top).lineTo(x, y).stroke();
    for (const [, cw] of cols) {
      x += cw;
      doc.moveTo(x, top).lineTo(x, y).stroke();
    }
    y += 10;
  }
  if (t.note) paragraph(t.note, 9);

  if (data.public) {
    paragraph(objection, 10.5, { indent: true });
    // Room for the seal above and over the college's name, as on a paper notice.
    y += 46;
    doc.font('R').fontSize(11).fillColor('black');
    doc.text(`${data.college.name}（盖章）`, MX, y, { width: total - 40, align: 'right', lineBreak: false });
    doc.text(zhDate(data.exportDate), MX, y + 18, { width: total - 40, align: 'right', lineBreak: false });
    y += 40;
  } else if (t.signatures) {
    const labels = data.signoff ? t.signatures.signoff : t.signatures.single;
    y += 14;
    doc.font('R').fontSize(10).fillColor('black');
    const slot = total / labels.length;
    labels.forEach((label, k) => {
      const text = `${label}：`;
      const x = MX + k * slot;
      doc.text(text, x, y, { width: slot, lineBreak: false });
      const lw = doc.widthOfString(text);
      doc.lineWidth(0.5).moveTo(x + lw, y + 12).lineTo(x + slot - 18, y + 12).stroke();
    });
    y += 40;
    doc.text(`${t.signatures.seal}：`, MX, y, { lineBreak: false });
    doc.text('日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日', MX + slot * (labels.length - 1), y, { width: slot, lineBreak: false });
    y += 56;
  }

  return finishDoc(o, {
    verifyLine: `导出编号 ${opts.exportId} · 数据校验 ${opts.dataSha256.slice(0, 16)} · 签名密钥 ${opts.keyFingerprint.slice(0, 16)}`,
    draft: opts.draft,
    margin: MX,
    signature: opts.signature ? { ...opts.signature, at: opts.exportedAt } : undefined,
  });
}
