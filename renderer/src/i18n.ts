/**
 * Every UI string in one catalogue: zh-CN (default) and English. Keys are grouped by screen.
 */
import { useSyncExternalStore } from 'react';
import type { CategoryCode, DecisionStatus, DeclaredField, DocumentKind } from '../../shared/domain.js';
import { CATEGORIES, DECISION_LABELS, DOCUMENT_KINDS, FIELD_LABELS } from '../../shared/domain.js';

export type Lang = 'zh-CN' | 'en';

const zh = {
  'app.title': '资格审核台',
  'app.subtitle': '湖南省2024年专升本资格审核',
  'app.lang': 'English',
  'queue.search': '搜索：姓名、拼音首字母、身份证号或手机号（4位以上数字）',
  'queue.allCategories': '全部类别',
  'queue.allStatus': '全部状态',
  'queue.count': '共 {n} 人',
  'queue.empty': '没有符合条件的考生',
  'applicant.none': '从左侧列表选择一名考生开始审核',
  'applicant.declared': '申报信息',
  'applicant.basic': '基本信息',
  'applicant.categoryFields': '类别信息',
  'applicant.documents': '材料',
  'applicant.noDocuments': '该考生没有上传任何材料',
  'applicant.history': '审核记录',
  'applicant.noHistory': '尚无审核记录',
  'applicant.withdrawn': '已从最新名单中移除',
  'decision.approve': '通过',
  'decision.reject': '不通过',
  'decision.return': '退回补正',
  'decision.reasons': '理由',
  'decision.note': '备注',
  'decision.reviewer': '审核人',
  'decision.reviewerPlaceholder': '请输入您的姓名',
  'decision.needReason': '“不通过”和“退回补正”须选择至少一个理由',
  'decision.needReviewer': '请先填写审核人姓名',
  'decision.saved': '已保存：{decision}',
  'decision.current': '当前结论',
  'viewer.loading': '正在加载…',
  'viewer.error': '无法显示此材料：{message}',
  'viewer.page': '第 {page} / {pages} 页',
  'viewer.prev': '上一页',
  'viewer.next': '下一页',
  'viewer.unsupported': '不支持的文件类型：{mime}',
  'keys.hint': 'A 通过并下一位 · 1–9 理由 · R 不通过 · T 退回 · J/K 上下 · ? 全部快捷键',
  'error.load': '加载失败：{message}',
  'queue.allReviewers': '全部审核人',
  'queue.flagged': '检查有问题',
  'queue.changed': '结论后信息有变更',
  'queue.sort': '排序',
  'queue.sort.row': '按名单顺序',
  'queue.sort.name': '按姓名拼音',
  'queue.sort.status': '按审核状态',
  'queue.sort.decided': '按审核时间',
  'queue.sort.flags': '按检查问题',
  'queue.bulk': '批量通过（{n}）',
  'queue.bulkTitle': '批量通过',
  'queue.bulkConfirm': '确认将当前筛选出的 {n} 名考生全部标记为“通过”？此操作会逐人记入审核记录，可逐人撤销。',
  'queue.bulkDone': '已批量通过 {n} 人',
  'queue.bulkFlagged': '（自动检查发现问题的 {n} 人不在其内，请逐人审核。）',
  'applicant.undoEntry': '撤销',
  'queue.bulkNone': '当前筛选结果中没有可通过的考生',
  'queue.position': '第 {i} / {n} 位',
  'common.cancel': '取消',
  'common.confirm': '确认',
  'common.close': '关闭',
  'common.save': '保存',
  'toolbar.dashboard': '进度',
  'toolbar.reasons': '理由目录',
  'toolbar.help': '快捷键',
  'toolbar.autoAdvance': '决定后自动下一位',
  'toolbar.reviewer': '审核人',
  'applicant.findings': '自动检查',
  'applicant.changed': '该考生在作出结论后申报信息有变更（{at}），请复核',
  'applicant.idFull': '身份证号（完整）',
  'applicant.compare': '对照申报信息',
  'decision.reasonHint': '按数字键选择理由',
  'decision.undo': '撤销上一条结论',
  'decision.undone': '已撤销：{name} 恢复为“{status}”',
  'decision.nothingToUndo': '没有可撤销的结论',
  'decision.verdicts': '材料判定：{text}',
  'verdict.clear': '清晰',
  'verdict.blurry': '模糊',
  'verdict.match': '一致',
  'verdict.mismatch': '不一致',
  'viewer.fitWidth': '适合宽度',
  'viewer.fitPage': '适合页面',
  'viewer.zoomIn': '放大',
  'viewer.zoomOut': '缩小',
  'viewer.rotate': '旋转90°',
  'viewer.sideBySide': '并排对照',
  'viewer.fullscreen': '全屏',
  'viewer.exitFullscreen': '退出全屏',
  'viewer.corrupt': '文件已损坏或格式无法识别，无法显示。请要求考生重新上传（可选理由“证件模糊不清”或“材料缺失”）。',
  'viewer.imageCorrupt': '图片无法解码（文件可能已损坏）',
  'viewer.second': '对照材料',
  'dashboard.title': '审核进度',
  'dashboard.total': '考生总数',
  'dashboard.category': '类别',
  'dashboard.reviewer': '审核人',
  'dashboard.decided': '已审',
  'dashboard.today': '今日',
  'dashboard.pace': '近日速度',
  'dashboard.perDay': '{n} 人/天',
  'dashboard.noPace': '尚无审核记录，无法预测',
  'dashboard.deadline': '截止日期',
  'dashboard.projected': '预计完成',
  'dashboard.onTrack': '按当前速度可在截止日期前完成',
  'dashboard.late': '按当前速度将晚于截止日期，需要加快或增加人手',
  'dashboard.blockers': '导出前须处理',
  'dashboard.undecided': '待审 {n} 人',
  'dashboard.flagged': '检查发现问题但已通过 {n} 人',
  'dashboard.changedN': '结论后信息有变更 {n} 人',
  'dashboard.noBlockers': '没有阻碍导出的事项',
  'dashboard.progress': '完成 {p}',
  'reasons.title': '理由目录（主管维护）',
  'reasons.code': '代码',
  'reasons.label': '理由',
  'reasons.categories': '适用类别（不选为全部）',
  'reasons.retired': '停用',
  'reasons.add': '新增理由',
  'reasons.saved': '理由目录已保存',
  'help.title': '快捷键',
  'help.approve': '通过并进入下一位（一次按键）',
  'help.reject': '不通过（须先用数字键选理由）',
  'help.return': '退回补正（须先用数字键选理由）',
  'help.reasons': '选择/取消第 1–9 个理由',
  'help.nextPrev': '下一位 / 上一位',
  'help.zoom': '放大 / 缩小',
  'help.fit': '适合宽度 / 适合页面',
  'help.rotate': '旋转当前材料 90°（会记住）',
  'help.docs': '上一份 / 下一份材料',
  'help.pages': '上一页 / 下一页',
  'help.side': '并排对照两份材料',
  'help.full': '全屏查看材料',
  'help.search': '搜索',
  'help.undo': '撤销上一条结论',
  'help.verdict': '标记当前材料 模糊 / 不一致',
  'help.note': '填写备注',
  'help.dashboard': '审核进度',
  'help.legend': '显示本说明',
  'help.escape': '关闭对话框、退出全屏、离开输入框',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'Qualification Review Desk',
  'app.subtitle': 'Hunan 2024 专升本 qualification review',
  'app.lang': '中文',
  'queue.search': 'Search: name, pinyin initials, ID number or phone (4+ digits)',
  'queue.allCategories': 'All categories',
  'queue.allStatus': 'All statuses',
  'queue.count': '{n} applicants',
  'queue.empty': 'No applicants match',
  'applicant.none': 'Pick an applicant on the left to start reviewing',
  'applicant.declared': 'Declared data',
  'applicant.basic': 'Basic information',
  'applicant.categoryFields': 'Category details',
  'applicant.documents': 'Documents',
  'applicant.noDocuments': 'This applicant uploaded no documents',
  'applicant.history': 'History',
  'applicant.noHistory': 'No decisions yet',
  'applicant.withdrawn': 'Removed from the latest list',
  'decision.approve': 'Approve',
  'decision.reject': 'Reject',
  'decision.return': 'Return for correction',
  'decision.reasons': 'Reasons',
  'decision.note': 'Note',
  'decision.reviewer': 'Reviewer',
  'decision.reviewerPlaceholder': 'Your name',
  'decision.needReason': 'Reject and return need at least one reason',
  'decision.needReviewer': 'Enter the reviewer name first',
  'decision.saved': 'Saved: {decision}',
  'decision.current': 'Current decision',
  'viewer.loading': 'Loading…',
  'viewer.error': 'Cannot show this document: {message}',
  'viewer.page': 'Page {page} of {pages}',
  'viewer.prev': 'Previous page',
  'viewer.next': 'Next page',
  'viewer.unsupported': 'Unsupported file type: {mime}',
  'keys.hint': 'A approve & next · 1–9 reasons · R reject · T return · J/K next/prev · ? all keys',
  'error.load': 'Failed to load: {message}',
  'queue.allReviewers': 'All reviewers',
  'queue.flagged': 'Flagged by checks',
  'queue.changed': 'Changed since decided',
  'queue.sort': 'Sort',
  'queue.sort.row': 'List order',
  'queue.sort.name': 'Name (pinyin)',
  'queue.sort.status': 'Status',
  'queue.sort.decided': 'Decision time',
  'queue.sort.flags': 'Check findings',
  'queue.bulk': 'Approve all ({n})',
  'queue.bulkTitle': 'Bulk approve',
  'queue.bulkConfirm': 'Approve all {n} applicants of the current filter? Each is logged and can be undone one by one.',
  'queue.bulkDone': 'Approved {n} applicants',
  'queue.bulkFlagged': ' ({n} flagged by the checks are left out; review them one by one.)',
  'applicant.undoEntry': 'Undo',
  'queue.bulkNone': 'Nobody in the current filter can be approved',
  'queue.position': '{i} of {n}',
  'common.cancel': 'Cancel',
  'common.confirm': 'Confirm',
  'common.close': 'Close',
  'common.save': 'Save',
  'toolbar.dashboard': 'Progress',
  'toolbar.reasons': 'Reasons',
  'toolbar.help': 'Shortcuts',
  'toolbar.autoAdvance': 'Advance after deciding',
  'toolbar.reviewer': 'Reviewer',
  'applicant.findings': 'Automatic checks',
  'applicant.changed': 'Declared data changed after the decision ({at}); please re-check',
  'applicant.idFull': 'ID number (full)',
  'applicant.compare': 'Compare with declared data',
  'decision.reasonHint': 'Number keys pick reasons',
  'decision.undo': 'Undo last decision',
  'decision.undone': 'Undone: {name} is back to "{status}"',
  'decision.nothingToUndo': 'Nothing to undo',
  'decision.verdicts': 'Documents: {text}',
  'verdict.clear': 'Clear',
  'verdict.blurry': 'Blurry',
  'verdict.match': 'Matches',
  'verdict.mismatch': 'Mismatch',
  'viewer.fitWidth': 'Fit width',
  'viewer.fitPage': 'Fit page',
  'viewer.zoomIn': 'Zoom in',
  'viewer.zoomOut': 'Zoom out',
  'viewer.rotate': 'Rotate 90°',
  'viewer.sideBySide': 'Side by side',
  'viewer.fullscreen': 'Full screen',
  'viewer.exitFullscreen': 'Exit full screen',
  'viewer.corrupt': 'The file is damaged or of an unknown format and cannot be shown. Ask the applicant to upload it again.',
  'viewer.imageCorrupt': 'The image cannot be decoded (the file may be damaged)',
  'viewer.second': 'Compare with',
  'dashboard.title': 'Progress',
  'dashboard.total': 'Applicants',
  'dashboard.category': 'Category',
  'dashboard.reviewer': 'Reviewer',
  'dashboard.decided': 'Decided',
  'dashboard.today': 'Today',
  'dashboard.pace': 'Recent pace',
  'dashboard.perDay': '{n} per day',
  'dashboard.noPace': 'No decisions yet, no projection',
  'dashboard.deadline': 'Deadline',
  'dashboard.projected': 'Projected finish',
  'dashboard.onTrack': 'At this pace the review ends before the deadline',
  'dashboard.late': 'At this pace the review ends after the deadline',
  'dashboard.blockers': 'Blocking the export',
  'dashboard.undecided': '{n} pending',
  'dashboard.flagged': '{n} approved despite check errors',
  'dashboard.changedN': '{n} changed since decided',
  'dashboard.noBlockers': 'Nothing blocks the export',
  'dashboard.progress': '{p} done',
  'reasons.title': 'Reason catalogue (supervisor)',
  'reasons.code': 'Code',
  'reasons.label': 'Reason',
  'reasons.categories': 'Categories (none = all)',
  'reasons.retired': 'Retired',
  'reasons.add': 'Add reason',
  'reasons.saved': 'Reason catalogue saved',
  'help.title': 'Keyboard shortcuts',
  'help.approve': 'Approve and go to the next (one key)',
  'help.reject': 'Reject (pick reasons with number keys first)',
  'help.return': 'Return for correction (pick reasons first)',
  'help.reasons': 'Toggle reason 1–9',
  'help.nextPrev': 'Next / previous applicant',
  'help.zoom': 'Zoom in / out',
  'help.fit': 'Fit width / fit page',
  'help.rotate': 'Rotate the document 90° (remembered)',
  'help.docs': 'Previous / next document',
  'help.pages': 'Previous / next page',
  'help.side': 'Two documents side by side',
  'help.full': 'Full screen',
  'help.search': 'Search',
  'help.undo': 'Undo the last decision',
  'help.verdict': 'Mark the document blurry / mismatching',
  'help.note': 'Write a note',
  'help.dashboard': 'Progress dashboard',
  'help.legend': 'Show this legend',
  'help.escape': 'Close dialogs, leave full screen or a text box',
};

const EN_CATEGORY: Record<CategoryCode, string> = {
  veteran: 'Retired soldier (exempt)',
  competition: 'Competition winner (exempt)',
  craftsman: 'Craftsman plan',
  poverty: 'Poverty-relief family',
  general: 'General plan',
};
const EN_STATUS: Record<DecisionStatus, string> = { pending: 'Pending', approve: 'Approved', reject: 'Rejected', return: 'Returned' };
const EN_DOC: Record<DocumentKind, string> = {
  discharge_cert: 'Discharge certificate', unit_cert: 'Unit certificate', merit_cert: 'Merit certificate',
  award_cert: 'Award certificate', diploma: 'Diploma', poverty_proof: 'Poverty-relief proof', photo: 'Photo', other: 'Other',
};
const EN_FIELD: Record<DeclaredField, string> = {
  name: 'Name', sex: 'Sex', idNumber: 'ID number', phone: 'Phone', category: 'Category', school: 'College',
  major: 'Major', gradYear: 'Graduation year', dischargeCertNo: 'Discharge cert. no.', enlistDate: 'Enlisted',
  dischargeDate: 'Discharged', merit: 'Merits', competition: 'Competition', award: 'Award', awardLevel: 'Award level',
  awardDate: 'Award date', hukou: 'Household registration', povertyIssuer: 'Proof issuer',
};

let lang: Lang = (localStorage.getItem('desk.lang') as Lang | null) ?? 'zh-CN';
const listeners = new Set<() => void>();

export function setLang(l: Lang): void {
  lang = l;
  localStorage.setItem('desk.lang', l);
  document.documentElement.lang = l;
  for (const f of listeners) f();
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (f) => {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    () => lang,
  );
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string = lang === 'en' ? en[key] : zh[key];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

export const categoryLabel = (c: CategoryCode): string => (lang === 'en' ? EN_CATEGORY[c] : (CATEGORIES.find((x) => x.code === c)?.label ?? c));
export const statusLabel = (s: DecisionStatus): string => (lang === 'en' ? EN_STATUS[s] : DECISION_LABELS[s]);
export const docLabel = (k: DocumentKind): string => (lang === 'en' ? EN_DOC[k] : (DOCUMENT_KINDS.find((x) => x.code === k)?.label ?? k));
export const fieldLabel = (f: DeclaredField): string => (lang === 'en' ? EN_FIELD[f] : FIELD_LABELS[f]);

/** 2024年2月23日 in Chinese, 23 Feb 2024 in English; '' for null. Accepts 'YYYY-MM-DD' or ISO. */
export function fmtDate(value: string | null): string {
  if (!value) return '';
  const d = value.length === 10 ? new Date(`${value}T00:00:00+08:00`) : new Date(value);
  return d.toLocaleDateString(lang === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: lang === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'Asia/Shanghai' });
}

/** Date and time in China time (the desk's working day), e.g. 2024/2/23 14:05. */
export function fmtDateTime(iso: string): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** 10,000 → '10,000' (both conventions group by thousands in print); 0.456 → '45.6%'. */
export function fmtNum(n: number, percent = false): string {
  return percent ? `${(n * 100).toLocaleString(lang, { maximumFractionDigits: 1 })}%` : n.toLocaleString(lang, { maximumFractionDigits: 1 });
}
