/**
 * Child process of the crash tests: works on a workspace through the real API until the parent
 * SIGKILLs it, printing a line for every call the API acknowledged (written synchronously, so a
 * printed line always means the call had returned ok).
 *   decide WS SEED           — records decisions forever: `ACK <event id>`
 *   import WS SEED LIST...   — imports the lists in turn forever: `BEGIN <n>` then `ACK <n>`
 *   sync WS SEED BUNDLE      — imports one sync bundle: `ACK <events added>`, then waits to be killed
 */
import { writeSync } from 'node:fs';
import { createDesk } from '../../../electron/app/desk.js';

const [mode, wsDir, seedText, ...lists] = process.argv.slice(2);
if (!mode || !wsDir) throw new Error('usage: crashChild decide|import WS SEED [LIST...]');
let seed = Number(seedText ?? 1) >>> 0 || 1;
const rand = (): number => {
  // xorshift32: the child's choices follow the seed, its timing follows the machine.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const say = (line: string): void => {
  writeSync(1, line + '\n');
};

const desk = createDesk(wsDir);
const listed = await desk.dispatch('applicants.list', {});
if (!listed.ok) throw new Error(listed.error.message);
const ids = (listed.value as { idNumber: string }[]).map((a) => a.idNumber);
say(`READY ${ids.length}`);

if (mode === 'decide') {
  for (;;) {
    const idNumber = ids[Math.floor(rand() * ids.length)]!;
    const r = rand();
    const args = r < 0.6
      ? { idNumber, decision: 'approve', note: '已核实', reviewer: '李老师' }
      : { idNumber, decision: r < 0.8 ? 'reject' : 'return', reasons: ['blurry'], note: '证件 模糊', reviewer: '王老师' };
    const res = await desk.dispatch('decisions.record', args);
    if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
    say(`ACK ${(res.value as { event: { id: string } }).event.id}`);
  }
} else if (mode === 'import') {
  for (let n = 0; ; n++) {
    const k = n % lists.length;
    say(`BEGIN ${k}`);
    const res = await desk.dispatch('import.run', { listPath: lists[k] });
    if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
    say(`ACK ${k}`);
  }
} else if (mode === 'sync') {
  const res = await desk.dispatch('sync.import', { file: lists[0], passphrase: '同步 口令 2026' });
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  say(`ACK ${(res.value as { eventsAdded?: number }).eventsAdded ?? -1}`);
  // Stay alive: the parent's kill is the only way out, so every run ends the same way.
  setInterval(() => undefined, 60_000);
} else throw new Error(`unknown mode ${mode}`);
