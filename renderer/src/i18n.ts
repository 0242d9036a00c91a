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
  'queue.search': '搜索姓名、身份证号或手机号（4位以上数字）',
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
  'keys.hint': 'A 通过并下一位 · J/K 下一位/上一位',
  'error.load': '加载失败：{message}',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  'app.title': 'Qualification Review Desk',
  'app.subtitle': 'Hunan 2024 专升本 qualification review',
  'app.lang': '中文',
  'queue.search': 'Search name, ID number or phone (4+ digits)',
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
  'keys.hint': 'A approve & next · J/K next/previous',
  'error.load': 'Failed to load: {message}',
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
