/**
 * CLI commands of the sync area: bundles, peer workspaces, audit, conflicts, undo, history,
 * accounts and assignment. Secrets never appear on the command line: passphrase and password are
 * read from environment variables named by --passphrase-env / --secret-env (the sign-in with
 * --user happens in main.ts, before any command's call).
 */
import type { DriftReport, ForkReport, SyncFolderReport } from '../../../shared/api/index.js';
import { CATEGORY_CODES, DECISION_LABELS, DECISIONS } from '../../../shared/domain.js';
import { ROLES } from '../../../shared/api/accounts.js';
import { shortFingerprint } from '../../../shared/fingerprint.js';
import { actingName, list, maybeOneOf, need, num, oneOf, str, type CliCommand } from './commands.js';

const asOption = { by: { type: 'string' } } as const;

const label = (d: string | null): string => (d ? DECISION_LABELS[d as keyof typeof DECISION_LABELS] ?? d : DECISION_LABELS.pending);

const kb = (n: number): string => (n < 1024 ? `${n} 字节` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);
const hours = (ms: number): string => (ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} 小时` : `${Math.round(ms / 60_000)} 分钟`);

function driftLine(d: DriftReport): string {
  const who = d.pcName || `${d.origin.slice(0, 8)}…`;
  return d.direction === 'behind'
    ? `  时钟偏差：“${who}”的时钟比学院其他电脑慢 ${hours(d.driftMs)}，请校正该电脑的日期和时间。`
    : `  时钟偏差：“${who}”的时钟比本机快 ${hours(d.driftMs)}（或本机的时钟慢了），请校正日期和时间。`;
}

function forkLines(forks: readonly ForkReport[]): string[] {
  return forks.map((f) => `  日志分叉：“${f.pcName}”的第 ${f.originSeq} 条起${f.repaired ? '（已修复）' : '（未修复）'}。${f.step}`);
}

/** One visit to a folder or the hub: what came in, what went out (the same report for both). */
function exchangeLines(r: SyncFolderReport, where: '文件夹' | '同步服务器'): string[] {
  const lines = [
    `已与${where}同步：${r.folder}（用时 ${r.ms} ms）`,
    `  读入 ${r.read.files} 个${where === '文件夹' ? '文件' : '对象'}（${kb(r.read.bytes)}）：新事件 ${r.read.events} 条，扫描件 ${r.read.scans} 份；未变化 ${r.unchanged} 个`,
    r.written.files === 0
      ? `  没有新内容，未写入任何${where === '文件夹' ? '文件' : '对象'}。`
      : `  写出 ${r.written.files} 个${where === '文件夹' ? '文件' : '对象'}（${kb(r.written.bytes)}）：事件 ${r.written.events} 条，扫描件 ${r.written.scans} 份`,
  ];
  if (r.cleaned > 0) lines.push(`  清理了上次中断留下的临时文件 ${r.cleaned} 个。`);
  for (const s of r.skipped) lines.push(`  已跳过 ${s.file}：${s.message}`);
  lines.push(...r.imported.flatMap((i) => i.drift.map(driftLine)), ...forkLines(r.forks));
  if (r.conflicts > 0) lines.push(`  当前有 ${r.conflicts} 个冲突待复核人裁定（conflicts 命令）。`);
  return lines;
}

export const syncCommands: CliCommand[] = [
  {
    name: 'sync export',
    summary: '导出同步包（加密、签名）/ write a sync bundle for another PC',
    usage: 'sync export --workspace WS --out FILE [--peer WORKSPACE_ID] [--no-scans] [--passphrase-env VAR]',
    options: { out: { type: 'string' }, peer: { type: 'string' }, 'no-scans': { type: 'boolean' }, 'passphrase-env': { type: 'string' } },
    workspace: 'open',
    call: 'sync.export',
    toArgs: (o) => ({ out: need(str(o.out), '--out'), peer: str(o.peer), noScans: o['no-scans'] === true, passphraseEnv: str(o['passphrase-env']) }),
    print: (r) => {
      return `同步包已写出：${r.file}（${r.bytes} 字节，事件 ${r.events} 条，扫描件 ${r.blobs} 份${r.peer ? `，对方 ${r.peer}` : '，完整包'}）`;
    },
  },
  {
    name: 'sync import',
    summary: '导入同步包 / merge a sync bundle from another PC',
    usage: 'sync import --workspace WS FILE [--passphrase-env VAR]',
    options: { 'passphrase-env': { type: 'string' } },
    workspace: 'open',
    call: 'sync.import',
    toArgs: (o, p) => ({ file: need(p[0], '同步包文件（FILE）'), passphraseEnv: str(o['passphrase-env']) }),
    print: (r) => {
      const lines = [`已导入（来自“${r.fromName}”）：新事件 ${r.eventsAdded} 条（重复 ${r.duplicates}），扫描件 ${r.blobsAdded} 份，名单变化 ${r.applicantsChanged} 人，当前冲突 ${r.conflicts} 个，用时 ${r.ms} ms`];
      lines.push(...r.drift.map(driftLine), ...forkLines(r.forks));
      return lines.join('\n');
    },
  },
  {
    name: 'sync status',
    summary: '同步状态 / what this PC has and what peers reported',
    usage: 'sync status --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'sync.status',
    toArgs: () => ({}),
    print: (s) => {
      const events = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);
      return [
        `本机“${s.name}”${s.nameIsDefault ? '（默认名称，可用 sync name 修改）' : ''}：事件 ${events(s.marks)} 条，冲突 ${s.conflicts} 个`,
        `学院签名密钥：${s.collegeKeyFingerprint ? shortFingerprint(s.collegeKeyFingerprint) : '尚未收到（请与建立学院的电脑同步一次）'}`,
        `本机公钥（管理员登记本机时需要）：${s.trust.publicKey}`,
        `  ${s.trust.root ? '本机是学院的根电脑' : s.trust.enrolled ? `本机已登记，可代表：${s.trust.accounts === null ? '任何姓名' : s.trust.accounts.join('、')}` : '本机尚未登记：其他电脑会拒绝它写下的记录（sync enrol）'}`,
        `  学院根电脑指纹（各电脑应一致）：${s.trust.rootFingerprint ? shortFingerprint(s.trust.rootFingerprint) : '尚未确定'}`,
        ...s.epochs.map((e) => `  日志纪元：${e.until.slice(0, 10)} 因${e.reason === 'restore' ? '恢复备份' : e.reason === 'copied' ? '复制到另一台电脑' : e.reason === 'fork' ? '日志分叉' : e.reason}换用新的事件序列`),
        ...s.peers.map((p) => `  对方“${p.name}”：事件 ${events(p.marks)} 条，上次同步 ${p.lastBundleAt ?? '—'}`),
        ...(s.clockBehindMs > 0 ? [`  本机时钟比已收到的事件慢 ${hours(s.clockBehindMs)}，请校正本机的日期和时间。`] : []),
        ...s.recentDrift.map(driftLine),
        ...forkLines(s.forks),
        ...(s.pendingScans > 0 ? [`  还有 ${s.pendingScans} 份扫描件等待从其他电脑同步过来。`] : []),
      ].join('\n');
    },
  },
  {
    name: 'hub init',
    summary: '初始化同步服务器（PostgreSQL，可重复运行）/ create or upgrade the college hub’s tables',
    usage: 'hub init --url postgres://USER[:PASS]@HOST:PORT/DB [--password-env VAR]（密码也可放在环境变量 DESK_HUB_PASSWORD）',
    options: { url: { type: 'string' }, 'password-env': { type: 'string' } },
    workspace: 'none',
    call: 'hub.init',
    toArgs: (o) => ({ url: need(str(o.url), '--url'), passwordEnv: str(o['password-env']) }),
    print: (r) => {
      return r.created
        ? `同步服务器已初始化：${r.hub}（结构版本 ${r.version}）`
        : r.from === r.version
          ? `同步服务器已是最新结构：${r.hub}（版本 ${r.version}），未做任何改动。`
          : `同步服务器已升级：${r.hub}（结构版本 ${r.from} → ${r.version}）`;
    },
  },
  {
    name: 'sync hub',
    summary: '与同步服务器同步（局域网 PostgreSQL）/ push and pull through the college hub',
    usage: 'sync hub --workspace WS [--url postgres://USER[:PASS]@HOST:PORT/DB] [--password-env VAR] [--passphrase-env VAR]（不给 --url = 学院设置中的服务器）',
    options: { url: { type: 'string' }, 'password-env': { type: 'string' }, 'passphrase-env': { type: 'string' } },
    workspace: 'open',
    call: 'sync.hub',
    toArgs: (o) => ({ url: str(o.url), passwordEnv: str(o['password-env']), passphraseEnv: str(o['passphrase-env']) }),
    print: (r) => exchangeLines(r, '同步服务器').join('\n'),
  },
  {
    name: 'sync folder',
    summary: '与文件夹同步（U 盘、共享文件夹）/ exchange through a shared folder',
    usage: 'sync folder --workspace WS --folder DIR [--passphrase-env VAR]',
    options: { folder: { type: 'string' }, 'passphrase-env': { type: 'string' } },
    workspace: 'open',
    call: 'sync.withFolder',
    toArgs: (o) => ({ folder: need(str(o.folder), '--folder'), passphraseEnv: str(o['passphrase-env']) }),
    print: (r) => exchangeLines(r, '文件夹').join('\n'),
  },
  {
    name: 'sync name',
    summary: '本机名称（同步、冲突、历史中显示）/ this PC’s name as the others see it',
    usage: 'sync name --workspace WS [NAME]（不给名称 = 恢复默认：计算机名 + 登录的审核员）',
    options: {},
    workspace: 'open',
    call: 'sync.setName',
    toArgs: (_o, p) => ({ name: p.join(' ') }),
    print: (r) => {
      return `本机名称：${r.name}${r.isDefault ? '（默认）' : ''}`;
    },
  },
  {
    name: 'workspace clone',
    summary: '为另一台电脑建立同学院的工作区并登记它 / create and enrol a peer workspace for another PC',
    usage: 'workspace clone --workspace SRC --out DIR [--no-scans] [--accounts NAME,NAME]（启用账户后须 --user 管理员）',
    options: { out: { type: 'string' }, 'no-scans': { type: 'boolean' }, accounts: { type: 'string', multiple: true } },
    workspace: 'open',
    call: 'workspace.clone',
    toArgs: (o) => ({ out: need(str(o.out), '--out'), noScans: o['no-scans'] === true, accounts: o.accounts ? list(o.accounts) : undefined }),
    print: (r) => {
      return [
        `已建立：${r.dir}（工作区 ${r.workspaceId}，考生 ${r.applicants} 人，事件 ${r.events} 条）`,
        `已登记新电脑（密钥指纹 ${r.fingerprint.slice(0, 16)}）。`,
        ...(r.setupCodes.length > 0 ? ['一次性设置码（只显示这一次，每个账户一个，请当面交给本人）：', ...r.setupCodes.map((c) => `  ${c.account}：${c.code}`)] : []),
        '注意：这个文件夹含学院的全部数据和那台电脑的私钥，请用加密 U 盘携带，那台电脑打开后删除。',
      ].join('\n');
    },
  },
  {
    name: 'sync enrol',
    summary: '登记一台电脑（管理员）/ enrol a PC by the public key it shows',
    usage: 'sync enrol --workspace WS --key PUBLIC_KEY [--pc-name NAME] [--accounts NAME,NAME | --any-name]（启用账户后须 --user 管理员）',
    options: { key: { type: 'string' }, 'pc-name': { type: 'string' }, accounts: { type: 'string', multiple: true }, 'any-name': { type: 'boolean' } },
    workspace: 'open',
    call: 'sync.enrol',
    toArgs: (o) => ({ publicKey: need(str(o.key), '--key'), name: str(o['pc-name']), accounts: o['any-name'] === true || !o.accounts ? null : list(o.accounts) }),
    print: (r) => {
      return [
        `已登记（密钥指纹 ${r.fingerprint.slice(0, 16)}），下次同步后生效。`,
        ...(r.setupCodes.length > 0 ? ['一次性设置码（只显示这一次，每个账户一个，请当面交给本人）：', ...r.setupCodes.map((c) => `  ${c.account}：${c.code}`)] : []),
      ].join('\n');
    },
  },
  {
    name: 'audit verify',
    summary: '校验审核日志哈希链 / prove the event log is intact',
    usage: 'audit verify --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'audit.verify',
    toArgs: () => ({}),
    print: (r) => {
      const forks = forkLines(r.forks);
      if (r.ok) return [`审核日志完整：${r.events} 条事件，${r.origins} 条哈希链均无断裂。`, ...forks].join('\n');
      return [
        `审核日志有问题（${r.problems.length} 处${r.forks.some((f) => !f.repaired) ? '，另有未修复的日志分叉' : ''}）：`,
        ...r.problems.slice(0, 50).map((p) => `  工作区 ${p.origin.slice(0, 8)}… 第 ${p.originSeq} 条：${p.problem}`),
        ...forks,
      ].join('\n');
    },
  },
  {
    name: 'conflicts',
    summary: '冲突队列 / applicants with concurrent, different decisions',
    usage: 'conflicts --workspace WS [--json]',
    options: {},
    workspace: 'open',
    call: 'conflicts.list',
    toArgs: () => ({}),
    print: (items) => {
      if (items.length === 0) return '没有未解决的冲突。';
      return items
        .map((c) => [`${c.name} ${c.idMasked}`, ...c.heads.map((h) => `  ${h.reviewer} @${h.pcName}（${h.at}）：${label(h.decision)} ${h.reasons.join(',')} ${h.note}`)].join('\n'))
        .join('\n');
    },
  },
  {
    name: 'conflicts resolve',
    summary: '裁定冲突（复核人）/ a supervisor settles a conflict',
    usage: 'conflicts resolve --workspace WS --applicant ID --decision approve|reject|return [--reason CODE]... [--note T] [--by NAME | --user NAME --secret-env VAR]',
    options: { applicant: { type: 'string' }, decision: { type: 'string' }, reason: { type: 'string', multiple: true }, note: { type: 'string' }, ...asOption },
    workspace: 'open',
    call: 'conflicts.resolve',
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant'), decision: oneOf(str(o.decision), DECISIONS, '--decision'), reasons: list(o.reason), note: str(o.note) ?? '', by: actingName(o) }),
  },
  {
    name: 'undo',
    summary: '撤销最近的结论 / undo the latest decision of an applicant',
    usage: 'undo --workspace WS --applicant ID (--reviewer NAME | --user NAME --secret-env VAR)',
    options: { applicant: { type: 'string' }, reviewer: { type: 'string' } },
    workspace: 'open',
    call: 'decisions.undo',
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant'), reviewer: need(str(o.reviewer) ?? str(o.user), '--reviewer 或 --user') }),
  },
  {
    name: 'history',
    summary: '考生的完整审核记录 / full history of an applicant',
    usage: 'history --workspace WS --applicant ID [--json]',
    options: { applicant: { type: 'string' } },
    workspace: 'open',
    call: 'decisions.history',
    toArgs: (o) => ({ idNumber: need(str(o.applicant), '--applicant') }),
    print: (h) => {
      return [
        `当前：${label(h.status === 'pending' ? null : h.status)}${h.conflict ? '（有冲突）' : ''}${h.assignedTo ? `，分配给 ${h.assignedTo}` : ''}`,
        ...h.entries.map((e) => `  ${e.at} ${e.kind} ${e.reviewer} @${e.pcName}：${label(e.decision)} ${e.reasons.join(',')} ${e.note}`),
      ].join('\n');
    },
  },
  {
    name: 'account create',
    summary: '新建账户（第一个须为 admin）/ create a local account',
    usage: 'account create --workspace WS --name NAME --role reviewer|supervisor|admin --new-secret-env VAR [--user ADMIN --secret-env VAR]',
    options: { name: { type: 'string' }, role: { type: 'string' }, 'new-secret-env': { type: 'string' }, ...asOption },
    workspace: 'open',
    call: 'accounts.create',
    toArgs: (o) => ({ name: need(str(o.name), '--name'), role: oneOf(str(o.role), ROLES, '--role'), secret: process.env[str(o['new-secret-env']) ?? 'DESK_NEW_SECRET'] ?? '' }),
  },
  {
    name: 'account enrol-here',
    summary: '在本机设置账户密码（用管理员登记本机时得到的一次性设置码）/ set an account\'s secret on this PC',
    usage: 'account enrol-here --workspace WS --name NAME --setup-code CODE --new-secret-env VAR',
    options: { name: { type: 'string' }, 'setup-code': { type: 'string' }, 'new-secret-env': { type: 'string' } },
    workspace: 'open',
    call: 'accounts.enrolHere',
    toArgs: (o) => ({
      name: need(str(o.name), '--name'), setupCode: need(str(o['setup-code']), '--setup-code'), secret: process.env[str(o['new-secret-env']) ?? 'DESK_NEW_SECRET'] ?? '',
    }),
  },
  {
    name: 'assign',
    summary: '分配考生给审核员 / give a share of the queue to a reviewer',
    usage: 'assign --workspace WS --reviewer NAME [--category C] [--from-row N] [--to-row N] [--ids ID,ID] [--by NAME | --user NAME --secret-env VAR]',
    options: {
      reviewer: { type: 'string' }, category: { type: 'string' }, 'from-row': { type: 'string' }, 'to-row': { type: 'string' },
      ids: { type: 'string', multiple: true }, ...asOption,
    },
    workspace: 'open',
    call: 'assignments.set',
    toArgs: (o) => ({
        reviewer: str(o.reviewer) ?? '', category: maybeOneOf(str(o.category), CATEGORY_CODES, '--category'), fromRow: num(o['from-row']), toRow: num(o['to-row']),
        idNumbers: o.ids ? list(o.ids) : undefined, by: actingName(o),
      }),
  },
];
