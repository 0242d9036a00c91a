/**
 * The college's settings as data of the log: each change is a `settings` event naming the keys
 * it sets; the latest (by HLC) value of each key wins, so every PC that has the same events shows
 * the same settings. Before any change the name is the one the workspace was created with.
 */
import { DeskError, type CollegeSettings, type CollegeSettingsPatch } from '../../shared/api/index.js';
import { actor } from '../accounts/index.js';
import { appendEvents, eventsOfKind } from '../sync/index.js';
import type { Workspace } from '../workspace/index.js';

const DEFAULTS = { code: '', year: 2024, signoffRequired: false, qcPercent: 0, noticePhone: '', noticeEmail: '', noticeDays: 7, hubUrl: '' } as const;

type Key = keyof CollegeSettingsPatch;
const KEYS: readonly Key[] = ['name', 'code', 'year', 'signoffRequired', 'qcPercent', 'noticePhone', 'noticeEmail', 'noticeDays', 'hubUrl'];

export function collegeSettings(ws: Workspace): CollegeSettings {
  const out: CollegeSettings = { name: ws.college, ...DEFAULTS, changed: {} };
  const put = out as unknown as Record<Key, unknown>;
  for (const e of eventsOfKind(ws.db, ['settings'])) {
    const set = e.payload.set;
    if (!set || typeof set !== 'object' || Array.isArray(set)) continue;
    for (const k of KEYS) {
      const v = set[k];
      if (v === undefined || v === null) continue;
      // A value of the wrong type (a newer desk's) is skipped rather than shown wrong.
      if (typeof v !== typeof put[k]) continue;
      put[k] = v;
      out.changed[k] = { by: e.reviewer, at: e.at };
    }
  }
  return out;
}

/** An admin or supervisor changes settings; only keys whose value differs are recorded. */
export function setCollegeSettings(ws: Workspace, deviceId: string, patch: CollegeSettingsPatch, by?: string): CollegeSettings {
  const who = actor(ws, ['admin', 'supervisor'], undefined, by);
  const now = collegeSettings(ws);
  const set: Record<string, string | number | boolean> = {};
  for (const k of KEYS) {
    const v = patch[k];
    if (v !== undefined && v !== now[k]) set[k] = v;
  }
  if (Object.keys(set).length === 0) return now;
  if (set.name !== undefined && String(set.name).trim() === '') throw new DeskError('invalid_args', '学校名称不能为空。');
  appendEvents(ws, deviceId, [{ kind: 'settings', reviewer: who.name, payload: { set } }]);
  return collegeSettings(ws);
}
