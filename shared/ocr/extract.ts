/**
 * Field extraction (字段提取) from the lines read on a scan: values after their printed labels
 * (姓名：…), values recognised by their shape (18-character ID number, 湘退字…号, dates), and the
 * boxes they occupy. Pure and table-driven; the cross-check in ./crosscheck.ts compares the result
 * with the declared data.
 */
import type { DocumentKind } from '../domain.js';
import { normalizeCode, normalizeIndexed } from './normalize.js';
import type { Box, FoundField, OcrField, OcrLine, OcrPage, OcrSegment } from './types.js';

/** Printed labels of each field, longest first where one contains another. */
export const FIELD_LABELS_ON_SCAN: Readonly<Record<OcrField, readonly string[]>> = {
  name: ['姓名'],
  idNumber: ['公民身份号码', '身份证号码', '身份证号', '证件号码'],
  dischargeCertNo: ['退役证编号', '退出现役证编号'],
  enlistDate: ['入伍时间', '入伍日期'],
  dischargeDate: ['退役时间', '退役日期', '退出现役时间'],
  competition: ['获奖赛事', '赛事名称', '竞赛名称', '比赛名称'],
  award: ['奖项', '参赛项目', '赛项'],
  awardLevel: ['获奖等级', '奖励等级', '等级'],
  awardDate: ['获奖时间', '获奖日期', '颁发时间'],
  povertyIssuer: ['出具单位', '证明单位'],
};

/** Labels of fields the desk does not compare; they end the value of the label before them. */
const OTHER_LABELS = [
  '性别', '出生年月', '出生日期', '民族', '部别', '学校', '专业', '学制', '层次', '学习形式', '户籍所在地',
  '脱贫年度', '籍贯', '职务', '证书编号', '赛项级别',
];

/** The fields each kind of scan is expected to show; `optional` ones are reported only when found. */
export const KIND_FIELDS: Readonly<Record<DocumentKind, { required: readonly OcrField[]; optional: readonly OcrField[] }>> = {
  discharge_cert: { required: ['name', 'idNumber', 'dischargeCertNo', 'enlistDate', 'dischargeDate'], optional: [] },
  unit_cert: { required: ['name', 'idNumber'], optional: ['enlistDate', 'dischargeDate'] },
  merit_cert: { required: ['name'], optional: ['idNumber'] },
  award_cert: { required: ['name', 'competition', 'award', 'awardLevel', 'awardDate'], optional: ['idNumber'] },
  poverty_proof: { required: ['name', 'idNumber', 'povertyIssuer'], optional: [] },
  diploma: { required: ['name', 'idNumber'], optional: [] },
  photo: { required: [], optional: [] },
  other: { required: [], optional: ['name', 'idNumber'] },
};

/** Whether a kind of scan carries text worth reading (a 证件照 does not). */
export function kindIsRead(kind: DocumentKind): boolean {
  const f = KIND_FIELDS[kind];
  return f.required.length + f.optional.length > 0;
}

const ALL_LABELS: readonly string[] = [...Object.values(FIELD_LABELS_ON_SCAN).flat(), ...OTHER_LABELS]
  .sort((a, b) => b.length - a.length);

/**
 * How wide a character is set, in ems: ideographs and full-width forms take a whole em, Latin
 * letters, digits and half-width punctuation about half (0.55 em for the digits of Noto Sans SC
 * and the fonts certificates use). Splitting a run by these weights instead of by character
 * count keeps an ID number's box off the label printed before it.
 */
export function charWeight(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  if (c === 0x20) return 0.3;
  if (c < 0x2e80 || (c >= 0xff61 && c <= 0xffdc)) return 0.55;
  return 1;
}

/** Each character's box in a segment, flattened [left, top, right, bottom]: the recogniser's ink
 *  boxes where it gave them, else the segment split by character widths at the segment's height. */
function charBoxes(seg: OcrSegment): number[] {
  if (seg.chars && seg.chars.length === 4 * seg.text.length) return seg.chars;
  const weights: number[] = [];
  // Per UTF-16 unit, as the text is indexed: a two-unit character splits its weight.
  for (const ch of seg.text) for (let u = 0; u < ch.length; u++) weights.push(charWeight(ch) / ch.length);
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  const out: number[] = [];
  let x = seg.box.x;
  for (const w of weights) {
    const next = x + (w / total) * seg.box.w;
    out.push(x, seg.box.y, next, seg.box.y + seg.box.h);
    x = next;
  }
  return out;
}

/**
 * The box of characters [start, end) of a line: the union of their boxes in each segment they
 * fall in — the ink the recogniser placed them on where it says, else estimated from widths.
 */
export function subBox(line: OcrLine, start: number, end: number): Box {
  let pos = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const seg of line.segments) {
    const segStart = pos;
    const segEnd = pos + seg.text.length;
    pos = segEnd + 1; // the joining space
    const a = Math.max(start, segStart);
    const b = Math.min(end, segEnd);
    if (a >= b || seg.text.length === 0) continue;
    const boxes = charBoxes(seg);
    for (let i = a - segStart; i < b - segStart; i++) {
      x0 = Math.min(x0, boxes[4 * i] ?? seg.box.x);
      y0 = Math.min(y0, boxes[4 * i + 1] ?? seg.box.y);
      x1 = Math.max(x1, boxes[4 * i + 2] ?? seg.box.x + seg.box.w);
      y1 = Math.max(y1, boxes[4 * i + 3] ?? seg.box.y + seg.box.h);
    }
  }
  if (x0 === Infinity) {
    const first = line.segments[0];
    return first ? { ...first.box } : { x: 0, y: 0, w: 0, h: 0 };
  }
  return { x: round(x0), y: round(y0), w: round(x1 - x0), h: round(y1 - y0) };
}

/**
 * The recogniser's confidence in characters [start, end) of a line: the least sure of them where
 * it said per character, else the line's.
 */
export function subConf(line: OcrLine, start: number, end: number): number {
  let pos = 0;
  let min = Infinity;
  for (const seg of line.segments) {
    const segStart = pos;
    pos = segStart + seg.text.length + 1;
    if (!seg.confs || seg.confs.length !== seg.text.length) continue;
    for (let i = Math.max(start, segStart); i < Math.min(end, segStart + seg.text.length); i++) min = Math.min(min, seg.confs[i - segStart] ?? 1);
  }
  return min === Infinity ? line.conf : min;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

interface Hit {
  value: string;
  /** Source-character range of the value in line.text. */
  start: number;
  end: number;
}

function found(field: OcrField, page: OcrPage, line: OcrLine, hit: Hit, via: FoundField['via']): FoundField {
  return { field, value: hit.value, page: page.page, box: subBox(line, hit.start, hit.end), conf: subConf(line, hit.start, hit.end), via };
}

/** Where the next label (of any field) starts in normalised text, from `from` on. */
function nextLabelAt(text: string, from: number): number {
  let best = text.length;
  for (const label of ALL_LABELS) {
    const i = text.indexOf(label, from);
    if (i >= 0 && i < best) best = i;
  }
  return best;
}

const ID_CHARS = /[0-9XxOoDlIi|]/;
const CJK = /[\u3400-\u9fff·]/;

/** The value printed after `label` in a line: up to the next label, shaped per field. */
function valuesAfterLabel(field: OcrField, line: OcrLine): Hit[] {
  const { text, from } = normalizeIndexed(line.text);
  const hits: Hit[] = [];
  for (const label of FIELD_LABELS_ON_SCAN[field]) {
    let at = text.indexOf(label);
    while (at >= 0) {
      let s = at + label.length;
      // A label is followed by a colon, or directly by its value in a table cell. Two regions
      // that overlap at the colon each read it, so it may come twice.
      while (text[s] === ':') s++;
      const labelIsPartOfLonger = ALL_LABELS.some((l) => l.length > label.length && l.includes(label) && text.startsWith(l, at - l.indexOf(label)));
      if (!labelIsPartOfLonger) {
        let e = nextLabelAt(text, s);
        let k = s;
        if (field === 'idNumber') {
          while (k < e && ID_CHARS.test(text[k] ?? '')) k++;
          e = k;
        } else if (field === 'name') {
          while (k < e && CJK.test(text[k] ?? '')) k++;
          e = k;
        } else {
          // Free text ends at sentence punctuation (a label inside a sentence of the body).
          while (k < e && !/[，。；;,]/.test(text[k] ?? '')) k++;
          e = k;
        }
        const raw = text.slice(s, e);
        const value = field === 'idNumber' ? normalizeCode(raw) : raw;
        const ok = field === 'idNumber' ? value.length === 18 : field === 'name' ? value.length >= 2 && value.length <= 6 : value.length >= 1;
        const fs = from[s];
        const fe = from[e - 1];
        if (ok && fs !== undefined && fe !== undefined) hits.push({ value, start: fs, end: fe + 1 });
      }
      at = text.indexOf(label, at + label.length);
    }
  }
  return hits;
}

/** Values recognised by their shape alone, wherever they are on the page. */
const PATTERNS: Partial<Record<OcrField, RegExp>> = {
  // 18 ID characters not glued to more digits: a longer run is some other number.
  idNumber: /(?<![0-9])[1-9OlI][0-9OoDlI|]{16}[0-9XxOoDlI|](?![0-9])/g,
  dischargeCertNo: /[\u4e00-\u9fff]{1,2}退字\d{4}第\d+号/g,
};

function patternHits(field: OcrField, line: OcrLine): Hit[] {
  const re = PATTERNS[field];
  if (!re) return [];
  const { text, from } = normalizeIndexed(line.text);
  const hits: Hit[] = [];
  for (const m of text.matchAll(re)) {
    const s = m.index;
    const e = s + m[0].length;
    const fs = from[s];
    const fe = from[e - 1];
    if (fs === undefined || fe === undefined) continue;
    hits.push({ value: field === 'idNumber' ? normalizeCode(m[0]) : m[0], start: fs, end: fe + 1 });
  }
  return hits;
}

const DATE_RE = /\d{4}年\d{1,2}月(?:\d{1,2}日)?/g;

/** Dates written out (2023年5月12日) on a page, in reading order. */
function dateHits(line: OcrLine): Hit[] {
  const { text, from } = normalizeIndexed(line.text);
  const hits: Hit[] = [];
  for (const m of normalizeCode(text).matchAll(DATE_RE)) {
    const fs = from[m.index];
    const fe = from[m.index + m[0].length - 1];
    if (fs !== undefined && fe !== undefined) hits.push({ value: m[0], start: fs, end: fe + 1 });
  }
  return hits;
}

/** Lines that name an issuing office (a letterhead or the signature above a seal). */
const ISSUER_RE = /[\u4e00-\u9fff]{2,}(?:乡村振兴局|乡村振兴办公室|乡村振兴部门|扶贫开发办公室|扶贫办|人民政府|民政局)/g;

/**
 * Everything the scan shows for the fields a kind of document carries. Label values come first,
 * shape matches after; `dates` (every written date) serve 获奖时间 when no label names it.
 */
export function extractFields(pages: readonly OcrPage[], fields: readonly OcrField[]): FoundField[] {
  const out: FoundField[] = [];
  for (const field of fields) {
    for (const page of pages) {
      for (const line of page.lines) {
        const labelled = valuesAfterLabel(field, line);
        for (const hit of labelled) out.push(found(field, page, line, hit, 'label'));
        // The same characters found by label and by shape are one finding.
        for (const hit of patternHits(field, line)) {
          if (!labelled.some((l) => l.start <= hit.start && hit.end <= l.end)) out.push(found(field, page, line, hit, 'pattern'));
        }
        if (field === 'povertyIssuer') {
          const { text, from } = normalizeIndexed(line.text);
          for (const m of text.matchAll(ISSUER_RE)) {
            const fs = from[m.index];
            const fe = from[m.index + m[0].length - 1];
            if (fs !== undefined && fe !== undefined) out.push(found(field, page, line, { value: m[0], start: fs, end: fe + 1 }, 'pattern'));
          }
        }
        if (field === 'awardDate') {
          for (const hit of dateHits(line)) out.push(found(field, page, line, hit, 'pattern'));
        }
      }
    }
  }
  return out;
}

/**
 * Where a declared value itself appears on the pages (after width/space folding, and digit
 * look-alikes for codes), so a value printed without its label still counts as shown.
 */
export function searchValue(pages: readonly OcrPage[], field: OcrField, value: string, code: boolean): FoundField | null {
  const needle = code ? normalizeCode(value) : normalizeIndexed(value).text;
  if (needle === '') return null;
  for (const page of pages) {
    for (const line of page.lines) {
      const { text, from } = normalizeIndexed(line.text);
      const hay = code ? normalizeCode(text) : text;
      const i = hay.indexOf(needle);
      if (i < 0) continue;
      const fs = from[i];
      const fe = from[i + needle.length - 1];
      if (fs === undefined || fe === undefined) continue;
      return found(field, page, line, { value: line.text.slice(fs, fe + 1), start: fs, end: fe + 1 }, 'search');
    }
  }
  return null;
}
