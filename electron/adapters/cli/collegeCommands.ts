/**
 * CLI commands of the college area: `college show` and `college set` — the college's name,
 * 学校代码, 复核 and 抽检, and the 公示 contact, which a final export needs.
 */
import type { CollegeSettings } from '../../../shared/api/college.js';
import { num, str, type CliCommand } from './commands.js';

const onOff = (v: unknown): boolean | undefined => (v === 'on' ? true : v === 'off' ? false : undefined);

function show(s: CollegeSettings): string {
  return [
    `学校名称：${s.name}`,
    `学校代码：${s.code || '（未设置）'}`,
    `年度：${s.year}`,
    `复核：${s.signoffRequired ? '启用' : '未启用'}；抽检：${s.qcPercent > 0 ? `${s.qcPercent}%` : '未启用'}`,
    `公示期：${s.noticeDays} 天；异议联系电话：${s.noticePhone || '（未设置）'}；电子邮箱：${s.noticeEmail || '（未设置）'}`,
  ].join('\n');
}

export const collegeCommands: CliCommand[] = [
  {
    name: 'college show',
    summary: '查看学院设置 / show the college settings',
    usage: 'college show --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'college.settings.get',
    toArgs: () => ({}),
    print: show,
  },
  {
    name: 'college set',
    summary: '修改学院设置（学校名称、代码、复核、公示联系方式） / change the college settings',
    usage: 'college set --workspace WS [--name NAME] [--code 12345] [--year Y] [--signoff on|off] [--qc PERCENT] [--notice-phone TEL] [--notice-email MAIL] [--notice-days N] --by NAME [--json]',
    options: {
      name: { type: 'string' }, code: { type: 'string' }, year: { type: 'string' }, signoff: { type: 'string' }, qc: { type: 'string' },
      'notice-phone': { type: 'string' }, 'notice-email': { type: 'string' }, 'notice-days': { type: 'string' }, by: { type: 'string' },
    },
    workspace: 'open',
    call: 'college.settings.set',
    toArgs: (o) => {
      const patch = {
        name: str(o.name), code: str(o.code), year: num(o.year), signoffRequired: onOff(o.signoff), qcPercent: num(o.qc),
        noticePhone: str(o['notice-phone']), noticeEmail: str(o['notice-email']), noticeDays: num(o['notice-days']),
      };
      // Keys not given stay as they are (undefined is not sent).
      return { patch: Object.fromEntries(Object.entries(patch).filter(([, x]) => x !== undefined)), by: str(o.by) };
    },
    print: (s) => `已保存。\n${show(s)}`,
  },
];
