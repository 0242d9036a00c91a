/**
 * 诊断报告: versions, platform, schema, row counts, backups and the last log lines — what support
 * needs, with no applicant's data in it. Counts only, never rows; paths are left out because a
 * Windows path carries the staff member's name (C:\Users\张老师\…); log lines are scrubbed again.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import type { DiagnosticsReport } from '../../shared/api/backup.js';
import { scrub, tailLog } from '../platform/index.js';
import { listBackups } from './backup.js';
import { LATEST_VERSION } from '../workspace/index.js';
import { openSqlite, type Db } from '../workspace/index.js';
import { DB_FILE, schemaVersion, type Workspace } from '../workspace/index.js';

/** The desk's version from its package.json, found upwards from the entry script or the working folder. */
export function appVersion(): string {
  const starts = [process.argv[1] ? dirname(process.argv[1]) : null, process.cwd()].filter((s): s is string => s !== null);
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        try {
          const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
          if (pkg.name === 'zsb-review-desk' && pkg.version) return pkg.version;
        } catch {
          // Not ours or unreadable: keep looking upwards.
        }
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return 'unknown';
}

function size(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

function workspacePart(ws: Pick<Workspace, 'dir' | 'db'> | null): DiagnosticsReport['workspace'] {
  if (!ws) {
    return {
      open: false, schemaVersion: null, latestSchemaVersion: LATEST_VERSION, integrity: null, sizeBytes: null, walBytes: null,
      counts: {}, backups: { count: 0, newest: null, oldest: null },
    };
  }
  const counts: Record<string, number> = {};
  const tables = ws.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    counts[name] = (ws.db.prepare(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  }
  const check = (ws.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  const backups = listBackups(ws.dir);
  const file = join(ws.dir, DB_FILE);
  return {
    open: true,
    schemaVersion: schemaVersion(ws.db),
    latestSchemaVersion: LATEST_VERSION,
    // integrity_check names tables and pages, never row contents; scrubbed anyway.
    integrity: scrub(check.slice(0, 20).join('; ')),
    sizeBytes: size(file),
    walBytes: size(file + '-wal'),
    counts,
    backups: { count: backups.length, newest: backups[0]?.at ?? null, oldest: backups.at(-1)?.at ?? null },
  };
}

/**
 * The report for the open workspace, or for a workspace folder opened read-only just for it (no
 * migration, no backup: the folder may be the broken one support is asked about).
 */
export function diagnosticsReport(open: Workspace | null, logLines = 50, wsDir?: string): DiagnosticsReport {
  let ws: Pick<Workspace, 'dir' | 'db'> | null = open;
  let raw: Db | null = null;
  let openError: string | null = null;
  if (!ws && wsDir) {
    try {
      raw = openSqlite(join(wsDir, DB_FILE), { readonly: true, fileMustExist: true });
      ws = { dir: wsDir, db: raw };
    } catch (e) {
      openError = scrub(`无法打开：${(e as { code?: string }).code ?? (e as Error).message}`);
    }
  }
  try {
    const report = buildReport(ws, logLines);
    if (openError) report.workspace.integrity = openError;
    return report;
  } finally {
    raw?.close();
  }
}

function buildReport(ws: Pick<Workspace, 'dir' | 'db'> | null, logLines: number): DiagnosticsReport {
  const sqlite = ws ? (ws.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v : 'unknown';
  return {
    generatedAt: new Date().toISOString(),
    versions: {
      app: appVersion(),
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      sqlite,
      chromium: process.versions.chrome ?? null,
    },
    platform: {
      os: platform(), release: release(), arch: arch(), cpus: cpus().length,
      memoryMb: Math.round(totalmem() / 2 ** 20), locale: Intl.DateTimeFormat().resolvedOptions().locale,
    },
    workspace: workspacePart(ws),
    log: logLines > 0 ? tailLog(logLines) : [],
  };
}

/** Human text of the report (the CLI's default output). */
export function formatDiagnostics(r: DiagnosticsReport): string {
  const w = r.workspace;
  const lines = [
    `资格审核台 诊断报告 ${r.generatedAt}`,
    `版本：审核台 ${r.versions.app}，Node ${r.versions.node}，SQLite ${r.versions.sqlite}${r.versions.electron ? `，Electron ${r.versions.electron}` : ''}`,
    `系统：${r.platform.os} ${r.platform.release} ${r.platform.arch}，${r.platform.cpus} 核，内存 ${r.platform.memoryMb} MB，区域 ${r.platform.locale}`,
  ];
  if (!w.open) lines.push('工作区：未打开');
  else {
    lines.push(
      `工作区：数据库版本 ${w.schemaVersion}/${w.latestSchemaVersion}，完整性 ${w.integrity}，大小 ${w.sizeBytes ?? '?'} 字节（WAL ${w.walBytes ?? 0}）`,
      `行数：${Object.entries(w.counts).map(([k, v]) => `${k} ${v}`).join('，')}`,
      `备份：${w.backups.count} 份${w.backups.newest ? `，最新 ${w.backups.newest}` : ''}`,
    );
  }
  lines.push(`最近日志（${r.log.length} 行）：`, ...r.log.map((l) => `  ${l}`));
  return lines.join('\n');
}
