/**
 * Invariants of the Windows packaging config: every native addon that ships is unpacked from the
 * asar, tests and other platforms' binaries are filtered out, and the installer is per-user and
 * Chinese. (The installer itself needs Windows and internet; this is what can be checked here.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface BuilderConfig {
  asarUnpack: string[];
  files: string[];
  win: { target: { target: string; arch: string[] }[] };
  nsis: Record<string, unknown>;
  npmRebuild: boolean;
  extraMetadata: { main: string };
}

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; main: string };

/** Folders of the production dependency closure, resolved like Node does. */
function productionPackages(): string[] {
  const seen = new Set<string>();
  const visit = (name: string, from: string): void => {
    let dir = from;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        if (seen.has(candidate)) return;
        seen.add(candidate);
        const p = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        for (const d of Object.keys({ ...p.dependencies, ...p.optionalDependencies })) visit(d, candidate);
        return;
      }
      const up = dirname(dir);
      if (up === dir) return; // optional dependency for another platform: not installed here
      dir = up;
    }
  };
  for (const d of Object.keys(pkg.dependencies)) visit(d, process.cwd());
  return [...seen];
}

function nativeFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === 'obj.target' || e.name === 'test') continue;
      nativeFiles(p, out);
    } else if (e.name.endsWith('.node') && statSync(p).isFile()) out.push(p);
  }
  return out;
}

const excluded = (path: string): boolean =>
  config.files.filter((f) => f.startsWith('!')).some((f) => picomatch(f.slice(1), { dot: true })(path));

describe('electron-builder.yml', () => {
  const natives = productionPackages().flatMap((d) => nativeFiles(d)).map((p) => relative(process.cwd(), p).split('\\').join('/'));

  it('finds the native addons that ship (better-sqlite3 at least)', () => {
    expect(natives.some((n) => n.includes('better_sqlite3.node'))).toBe(true);
  });

  it('unpacks every shipped .node file from the asar', () => {
    const unpack = config.asarUnpack.map((g) => picomatch(g, { dot: true }));
    for (const n of natives) {
      if (excluded(n)) continue;
      expect(unpack.some((m) => m(n)), n).toBe(true);
    }
  });

  it('ships no binaries for Linux or macOS', () => {
    for (const n of natives.filter((x) => /linux|darwin/.test(x))) expect(excluded(n), n).toBe(true);
    expect(excluded('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node')).toBe(true);
    expect(excluded('node_modules/onnxruntime-node/bin/napi-v6/win32/x64/onnxruntime_binding.node')).toBe(false);
  });

  it('excludes tests, benchmarks, sources and the dev-only native build', () => {
    for (const p of ['test/unit/core/packaging.test.ts', 'bench/run.ts', 'electron/main.ts', '.native/electron/better_sqlite3.node', 'node_modules/x/README.md']) {
      expect(excluded(p), p).toBe(true);
    }
    for (const p of ['dist-electron/main.cjs', 'dist/renderer/index.html', 'resources/fonts/NotoSansSC-Regular.ttf']) expect(excluded(p), p).toBe(false);
  });

  it('builds a per-user Chinese NSIS installer and a portable build, x64 only', () => {
    const targets = config.win.target.map((t) => t.target).sort();
    expect(targets).toEqual(['nsis', 'portable']);
    for (const t of config.win.target) expect(t.arch).toEqual(['x64']);
    expect(config.nsis).toMatchObject({ perMachine: false, allowElevation: false, createDesktopShortcut: 'always', installerLanguages: ['zh_CN'] });
    expect(config.npmRebuild).toBe(true);
    expect(config.extraMetadata.main).toBe(pkg.main);
  });
});
