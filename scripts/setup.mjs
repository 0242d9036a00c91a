// The Debian packages the test suite needs, in one list. `npm run setup` installs the missing
// ones (as root, with apt-get: a fresh CI machine — .ci/run calls it); run as anyone else, or
// with `--check` (npm test's pretest), it stops at once naming each missing package and what
// it is for. On a system other than Linux it only says so: the suite runs on Debian/Ubuntu.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const fonts = () => spawnSync('fc-list', [], { encoding: 'utf8' }).stdout ?? '';
/** Debian keeps the PostgreSQL server programs out of PATH, under /usr/lib/postgresql/<n>/bin. */
const pgBin = (tool) => {
  if (has(tool)) return true;
  try {
    return readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/${tool}`));
  } catch {
    return false;
  }
};

export const PACKAGES = [
  { pkg: 'chromium', why: 'the end-to-end tests drive it (playwright-core)', ok: () => (process.env.CHROMIUM_PATH ? existsSync(process.env.CHROMIUM_PATH) : has('chromium')) },
  { pkg: 'fonts-noto-cjk', why: 'Chinese text in the browser and its screenshots', ok: () => /Noto Sans CJK/i.test(fonts()) },
  { pkg: 'poppler-utils', why: 'the exported PDFs checked by pdfsig, pdftotext, pdffonts, pdftoppm', ok: () => ['pdfsig', 'pdftotext', 'pdffonts', 'pdftoppm'].every(has) },
  { pkg: 'libreoffice-calc-nogui', why: 'the exported XLSX read back by an office program (soffice)', ok: () => has('soffice') },
  { pkg: 'openssl', why: 'test certificates (PKCS#12) for signed exports', ok: () => has('openssl') },
  { pkg: 'postgresql', why: 'the sync hub’s tests start a throwaway server (initdb, pg_ctl)', ok: () => pgBin('initdb') && pgBin('pg_ctl') },
];

const missing = () => PACKAGES.filter((p) => !p.ok());

function report(list) {
  console.error(`缺少测试所需的 Debian 软件包 / missing Debian packages the tests need:\n${list.map((p) => `  - ${p.pkg}: ${p.why}`).join('\n')}\n` +
    `安装 install: sudo apt-get install -y --no-install-recommends ${list.map((p) => p.pkg).join(' ')}  (或以 root 运行 or as root: npm run setup)`);
}

if (process.platform !== 'linux') {
  console.log('setup: the test suite runs on Debian/Ubuntu (Chromium, Noto CJK fonts, poppler, LibreOffice, OpenSSL, PostgreSQL); nothing to do here.');
  process.exit(0);
}
const checkOnly = process.argv.includes('--check');
let need = missing();
if (need.length === 0) {
  if (!checkOnly) console.log(`setup: all present (${PACKAGES.map((p) => p.pkg).join(', ')}).`);
  process.exit(0);
}
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (checkOnly || !root || !has('apt-get')) {
  report(need);
  process.exit(1);
}
console.log(`setup: installing ${need.map((p) => p.pkg).join(' ')} …`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...need.map((p) => p.pkg)]]) {
  const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`setup: apt-get ${args[0]} failed (exit ${r.status}).`);
    process.exit(1);
  }
}
need = missing();
if (need.length > 0) {
  report(need);
  process.exit(1);
}
console.log('setup: done.');
