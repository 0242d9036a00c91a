/**
 * Where a workspace lives. SQLite's WAL needs shared memory between the processes using one
 * database, which network file systems do not give reliably: a workspace on a network drive
 * (a UNC path, a mapped drive, SMB/CIFS or NFS) can lose or corrupt writes. The desk opens it
 * anyway — the registrar may have no other place — but says so plainly.
 */
import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { resolve } from 'node:path';

/** statfs f_type magic numbers of network file systems (Linux). */
const NETWORK_FS: Record<number, string> = { 0xfe534d42: 'SMB2', 0xff534d42: 'CIFS', 0x517b: 'SMB', 0x6969: 'NFS', 0x564c: 'NCP', 0x01021994: 'tmpfs' };

/** Windows drive letters that `net use` lists as mapped network drives. */
function mappedDrives(): Set<string> {
  try {
    const out = execFileSync('net', ['use'], { encoding: 'utf8', timeout: 3000, windowsHide: true });
    return new Set([...out.matchAll(/\b([A-Z]):\s/g)].map((m) => (m[1] ?? '').toUpperCase()));
  } catch {
    return new Set();
  }
}

/** Why a folder is on a network, or null when it is local (as far as this PC can tell). */
export function networkLocation(dir: string, platform: NodeJS.Platform = process.platform): string | null {
  // Before resolving: a POSIX resolve folds a leading '//' (an SMB path as typed) into '/'.
  const abs = /^(\\\\|\/\/)/.test(dir) || platform === 'win32' ? dir : resolve(dir);
  if (/^(\\\\|\/\/)[^\\/]+[\\/][^\\/]+/.test(abs)) return `网络路径（${abs.split(/[\\/]/).filter(Boolean).slice(0, 2).join('\\')}）`;
  if (platform === 'win32') {
    const drive = /^([A-Za-z]):/.exec(abs)?.[1]?.toUpperCase();
    if (drive && mappedDrives().has(drive)) return `映射的网络驱动器 ${drive}:`;
    return null;
  }
  try {
    const type = NETWORK_FS[statfsSync(abs).type];
    // tmpfs is listed only to be ignored: it is memory, not a network.
    return type && type !== 'tmpfs' ? `网络文件系统（${type}）` : null;
  } catch {
    return null;
  }
}

export function networkWarning(dir: string): string | null {
  const where = networkLocation(dir);
  return where
    ? `此工作区位于${where}上。SQLite 的 WAL 日志在网络驱动器上不可靠，可能丢失或损坏审核记录：请把工作区放在本机磁盘上，用“同步”与其他电脑交换。`
    : null;
}
