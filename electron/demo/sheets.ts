/**
 * What each scan says (title, fields, body, issuer, seal) and one layout that draws it on a Painter.
 * The name and ID printed come from the planned document, not from the list, so the
 * "differs on scan" defects are printed exactly as truth.json states them.
 */
import { CONTESTS } from './pools.js';
import type { DemoApplicant, PlannedDocument, ScanSide } from './model.js';
import { wrapText, type Painter } from './painter.js';
import type { Rng } from './random.js';

export interface Sheet {
  orientation: 'landscape' | 'portrait';
  /** Border colour of a certificate; letters (证明) have a letterhead instead. */
  frame: string | null;
  title: string;
  number: string;
  fields: (readonly [string, string])[];
  body: string[];
  issuer: string;
  date: string;
  /** Extra signature line above the issuer, e.g. 校长：周建国. */
  signature: string;
}

export const LANDSCAPE = { width: 1200, height: 850 } as const;
export const PORTRAIT = { width: 850, height: 1200 } as const;

/** '2019-09' → 2019年9月, '2023-05-12' → 2023年5月12日. */
export function zhDate(value: string): string {
  const [y, m, d] = value.split('-');
  if (!y || !m) return value;
  return `${y}年${Number(m)}月${d ? `${Number(d)}日` : ''}`;
}

export function sheetFor(a: DemoApplicant, doc: PlannedDocument, side: ScanSide): Sheet {
  const d = a.declared;
  const f = a.facts;
  const name = doc.nameOnScan;
  const id = doc.idOnScan;
  const certificate = (frame: string, title: string): Sheet => ({
    orientation: 'landscape',
    frame,
    title,
    number: '',
    fields: [],
    body: [],
    issuer: '',
    date: '',
    signature: '',
  });
  const letter = (issuer: string): Sheet => ({ ...certificate('', '证明'), orientation: 'portrait', frame: null, issuer });

  switch (doc.kind) {
    case 'discharge_cert':
      return {
        ...certificate('#2e5e3a', '中国人民解放军退出现役证'),
        number: `No. ${d.dischargeCertNo}`,
        fields: [
          ['姓名', name], ['性别', d.sex], ['出生年月', zhDate(f.birthDate.slice(0, 7))], ['身份证号', id],
          ['入伍时间', zhDate(d.enlistDate)], ['退役时间', zhDate(d.dischargeDate)], ['部别', f.unit],
          ['退役证编号', d.dischargeCertNo],
        ],
        body: [`${name}同志于${zhDate(d.enlistDate)}入伍，${zhDate(d.dischargeDate)}退出现役。服役期间表现良好，特发此证。`],
        issuer: f.unit,
        date: zhDate(d.dischargeDate),
      };
    case 'unit_cert':
      return {
        ...letter(f.unit),
        fields: [['姓名', name], ['身份证号', id], ['入伍时间', zhDate(d.enlistDate)], ['退役时间', zhDate(d.dischargeDate)]],
        body: [
          `兹有我部士兵${name}（性别：${d.sex}，身份证号：${id}），于${zhDate(d.enlistDate)}入伍，${zhDate(d.dischargeDate)}退出现役，退出现役证正在办理中。`,
          '该同志服役期间遵守纪律，表现良好。特此证明。',
        ],
        date: zhDate(`${d.dischargeDate}-15`),
      };
    case 'merit_cert':
      return {
        ...certificate('#b22222', '立功证书'),
        fields: [['姓名', name], ['身份证号', id], ['部别', f.unit], ['奖励等级', '三等功']],
        body: [`${name}同志在服役期间工作积极、表现突出，经批准，荣立三等功一次。特发此证，以资鼓励。`],
        issuer: f.unit,
        date: zhDate(`${Number(d.enlistDate.slice(0, 4)) + 1}-08-01`),
      };
    case 'award_cert': {
      if (d.category === 'craftsman') {
        // The 燎原计划 applicant's certificate of the 赛项 the list names.
        const [contest = d.craftContest, event = ''] = d.craftContest.split('·');
        const year = Number(d.craftGradDate.slice(0, 4)) - 1 || 2023;
        return {
          ...certificate('#b8860b', '获奖证书'),
          fields: [['姓名', name], ['身份证号', id], ['学校', d.school], ['赛项', d.craftContest], ['赛项级别', d.craftContestLevel]],
          body: [`${name}同学在${year}年${contest}${event}中成绩优异，荣获二等奖。特发此证，以资鼓励。`],
          issuer: CONTESTS.find((c) => contest.includes(c.name))?.issuer ?? '湖南省教育厅',
          date: `${year}年5月20日`,
        };
      }
      const contest = CONTESTS.find((c) => c.name === d.competition);
      return {
        ...certificate('#b8860b', '获奖证书'),
        fields: [
          ['姓名', name], ['身份证号', id], ['学校', d.school], ['获奖赛事', d.competition], ['奖项', d.award],
          ['获奖等级', d.awardLevel],
        ],
        body: [`${name}同学在${d.awardDate.slice(0, 4)}年${d.competition}${d.award}中荣获${d.awardLevel}。特发此证，以资鼓励。`],
        issuer: contest?.issuer ?? d.competition,
        date: zhDate(d.awardDate),
      };
    }
    case 'diploma': {
      const grad = d.gradYear ?? 2024;
      const base = { ...certificate('#8b1a1a', '毕业证书'), issuer: d.school, date: `${grad}年6月30日`, number: `证书编号：${f.diplomaNo}` };
      if (side === 'back') {
        return {
          ...base,
          title: '毕业证书（副页）',
          fields: [
            ['姓名', name], ['身份证号', id], ['证书编号', f.diplomaNo], ['层次', '专科'], ['学习形式', '普通全日制'],
            ['专业', d.major],
          ],
          body: ['本证书已在中国高等教育学生信息网（学信网）电子注册，可登录 www.chsi.com.cn 查询真伪。'],
        };
      }
      return {
        ...base,
        fields: [['姓名', name], ['性别', d.sex], ['出生日期', zhDate(f.birthDate)], ['身份证号', id], ['专业', d.major], ['学制', '三年']],
        body: [
          `学生${name}，性别${d.sex}，${zhDate(f.birthDate)}生，于${grad - 3}年9月至${grad}年6月在本校${d.major}专业三年制专科学习，修完教学计划规定的全部课程，成绩合格，准予毕业。`,
        ],
        signature: `校长：${f.principal}`,
      };
    }
    case 'poverty_proof':
      return {
        ...letter(d.povertyIssuer || `${f.region.county}乡村振兴局`),
        fields: [['姓名', name], ['身份证号', id], ['户籍所在地', d.hukou], ['脱贫年度', `${f.povertyYear}年`]],
        body: [
          `兹证明${name}（性别：${d.sex}，身份证号：${id}），户籍所在地为${d.hukou}，其家庭为建档立卡脱贫户，于${f.povertyYear}年脱贫，现为脱贫享受政策人口。`,
          '特此证明。',
        ],
        date: '2024年1月18日',
      };
    default:
      return { ...letter(d.school), body: [`${name}（身份证号：${id}）的其他材料。`], date: '2024年1月18日' };
  }
}

const INK = '#1f1f1f';
const SEAL_RED = '#d42a2a';

/** A round official seal: ring, star and the issuer's name along the upper arc. */
export function drawSeal(p: Painter, cx: number, cy: number, r: number, text: string, rng: Rng): void {
  const chars = [...text];
  const textRadius = r * 0.7;
  const size = Math.min(r * 0.3, ((1.45 * Math.PI * textRadius) / Math.max(chars.length, 1)) * 0.92);
  // Unit numbers (番号) are half-width digits: give them half the arc of an ideograph.
  const advance = chars.map((ch) => ((/[\x20-\x7e]/.test(ch) ? 0.62 : 1.04) * size) / textRadius);
  const span = advance.reduce((sum, a) => sum + a, 0);
  const tilt = (rng.next() - 0.5) * 0.5;
  let angle = -Math.PI / 2 - span / 2 + tilt;
  p.alpha(0.86);
  p.circle(cx, cy, r, SEAL_RED, r * 0.065);
  chars.forEach((ch, i) => {
    const half = (advance[i] ?? 0) / 2;
    angle += half;
    p.glyph(ch, cx + textRadius * Math.cos(angle), cy + textRadius * Math.sin(angle), angle + Math.PI / 2, size, SEAL_RED);
    angle += half;
  });
  const star: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const rad = i % 2 === 0 ? r * 0.27 : r * 0.11;
    const a = -Math.PI / 2 + tilt + (i * Math.PI) / 5;
    star.push([cx + rad * Math.cos(a), cy + r * 0.05 + rad * Math.sin(a)]);
  }
  p.polygon(star, SEAL_RED);
  p.alpha(1);
}

function drawFields(p: Painter, fields: Sheet['fields'], x: number, y: number, width: number, columns: number): number {
  const size = 24;
  const rowH = 44;
  const labelW = 140;
  const colW = width / columns;
  let col = 0;
  for (const [label, value] of fields) {
    const wide = columns > 1 && p.measure(value, size) > colW - labelW - 16;
    if (wide && col > 0) {
      col = 0;
      y += rowH;
    }
    const left = x + col * colW;
    p.text(`${label}：`, left, y, { size, bold: true, color: '#333' });
    p.text(value, left + labelW, y, { size, color: INK });
    p.line(left + labelW - 4, y + 34, left + (wide ? width : colW) - 24, y + 34, '#b9b2a0', 1);
    col = wide ? columns : col + 1;
    if (col >= columns) {
      col = 0;
      y += rowH;
    }
  }
  return col === 0 ? y : y + rowH;
}

function drawBody(p: Painter, body: string[], x: number, y: number, width: number, size: number, lineH: number): number {
  for (const para of body) {
    wrapText(p, para, size, width, 2).forEach((line, i) => {
      p.text(line, x + (i === 0 ? 2 * size : 0), y, { size, color: INK });
      y += lineH;
    });
    y += lineH * 0.3;
  }
  return y;
}

function drawIssuer(p: Painter, sheet: Sheet, right: number, y: number, rng: Rng): void {
  if (sheet.signature) p.text(sheet.signature, right, y - 48, { size: 24, color: INK, align: 'right' });
  p.text(sheet.issuer, right, y, { size: 26, color: INK, align: 'right' });
  p.text(sheet.date, right, y + 42, { size: 24, color: INK, align: 'right' });
  const w = p.measure(sheet.issuer, 26);
  const r = 92;
  drawSeal(p, right - Math.min(w, 260) / 2 + (rng.next() - 0.5) * 30, y + 24 + (rng.next() - 0.5) * 20, r, sheet.issuer, rng);
}

export function drawSheet(p: Painter, sheet: Sheet, rng: Rng): void {
  const { width: W, height: H } = p;
  p.rect(0, 0, W, H, { fill: '#fffdf6' });
  if (sheet.orientation === 'landscape') {
    if (sheet.frame) {
      p.rect(28, 28, W - 56, H - 56, { stroke: sheet.frame, lineWidth: 10 });
      p.rect(46, 46, W - 92, H - 92, { stroke: sheet.frame, lineWidth: 2 });
      for (const [cx, cy] of [[46, 46], [W - 46, 46], [46, H - 46], [W - 46, H - 46]] as const) {
        p.polygon([[cx - 14, cy], [cx, cy - 14], [cx + 14, cy], [cx, cy + 14]], sheet.frame);
      }
    }
    if (sheet.number) p.text(sheet.number, W - 80, 62, { size: 18, color: '#555', align: 'right' });
    p.text(sheet.title, W / 2, 92, { size: sheet.title.length > 8 ? 50 : 60, bold: true, color: sheet.frame ?? INK, align: 'center' });
    let y = drawFields(p, sheet.fields, 110, 205, W - 220, 2);
    y = drawBody(p, sheet.body, 110, y + 14, W - 220, 24, 38);
    drawIssuer(p, sheet, W - 120, Math.max(y + 70, H - 210), rng);
    return;
  }
  // A letter (证明) on letterhead paper: issuer in red over a red rule, like an official document.
  p.text(sheet.issuer, W / 2, 70, { size: 34, bold: true, color: '#c8161d', align: 'center' });
  p.line(70, 132, W - 70, 132, '#c8161d', 4);
  p.line(70, 140, W - 70, 140, '#c8161d', 1.5);
  p.text(sheet.title, W / 2, 180, { size: 56, bold: true, color: INK, align: 'center' });
  let y = drawBody(p, sheet.body, 90, 290, W - 180, 26, 46);
  y = drawFields(p, sheet.fields, 90, y + 20, W - 180, 1);
  drawIssuer(p, sheet, W - 100, y + 90, rng);
}
