/**
 * A folder as a .zip, streamed (the web host's download of an export folder): entries stored
 * without compression — the tables are PDF and XLSX, already compressed — with UTF-8 names
 * (Chinese file names open correctly in Windows Explorer) and CRC-32 from node:zlib. No ZIP64:
 * a folder over 4 GiB is refused before anything is sent.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { crc32 } from 'node:zlib';

const LIMIT = 0xffffffff;

interface Item {
  name: string;
  path: string;
  size: number;
}

/** Files under `dir`, with '/'-separated names relative to it, in a stable order. */
export function zipEntries(dir: string): Item[] {
  const out: Item[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      const st = statSync(p);
      const r = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) walk(p, r);
      else if (st.isFile()) out.push({ name: r, path: p, size: st.size });
    }
  };
  walk(dir, '');
  return out;
}

/** DOS date and time of a moment (what zip headers hold). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function write(out: Writable, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(buf)) resolve();
    else {
      const onDrain = (): void => {
        out.off('error', onError);
        resolve();
      };
      const onError = (e: Error): void => {
        out.off('drain', onDrain);
        reject(e);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    }
  });
}

/** Writes `dir` as a zip to `out` (which it ends). Throws before writing when it is too large. */
export async function zipFolder(dir: string, out: Writable, now = new Date()): Promise<void> {
  const items = zipEntries(dir);
  const total = items.reduce((a, i) => a + i.size + 100 + Buffer.byteLength(i.name) * 2, 0);
  if (total >= LIMIT || items.length >= 0xffff) throw new Error('folder too large for a zip without ZIP64');
  const { time, date } = dosTime(now);
  const central: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = Buffer.from(item.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0808, 6); // bit 3: sizes in the descriptor; bit 11: UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    // CRC and sizes follow the data (data descriptor), so the file is read only once.
    local.writeUInt16LE(name.length, 26);
    await write(out, Buffer.concat([local, name]));
    let crc = 0;
    let size = 0;
    for await (const chunk of createReadStream(item.path)) {
      const b = chunk as Buffer;
      crc = crc32(b, crc);
      size += b.length;
      await write(out, b);
    }
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(crc >>> 0, 4);
    desc.writeUInt32LE(size, 8);
    desc.writeUInt32LE(size, 12);
    await write(out, desc);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4); // made by
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0808, 8);
    cd.writeUInt16LE(0, 10);
    cd.writeUInt16LE(time, 12);
    cd.writeUInt16LE(date, 14);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(size, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += local.length + name.length + size + desc.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  await write(out, Buffer.concat([cdBuf, end]));
  await new Promise<void>((resolve) => out.end(resolve));
}
