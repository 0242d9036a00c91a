/**
 * Invariants of the Windows packaging config: every native addon that ships is unpacked from the
 * asar, tests and other platforms' binaries are filtered out, the installer is per-user and
 * Chinese, and every runtime resource (rules, templates, fonts, icons, the OCR models, the page's
 * pdf.js worker, the bundles) is in the packaged file list built from `files`, unpacked when
 * native code reads it, and found by the one resolver in a simulated packaged layout.
 * (The installer itself needs Windows and internet; this is what can be checked here.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, configure, findResource, OCR_MODEL_ASSETS, OCR_MODELS_PACKAGE, ocrModelFiles, resetConfig } from '../../../electron/platform/index.js';
import { tempDir } from '../../fixtures/tmp.js';

interface BuilderConfig {
  asarUnpack: string[];
  files: string[];
  directories: { buildResources: string };
  executableName: string;
  extraFiles: { from: string; to: string }[];
  win: { target: { target: string; arch: string[] }[]; icon: string };
  nsis: Record<string, unknown>;
  npmRebuild: boolean;
  extraMetadata: { main: string };
  asar: boolean;
  electronFuses?: Record<string, boolean>;
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

  it('flips the Electron fuses: no RunAsNode, no NODE_OPTIONS or --inspect, encrypted cookies, the app only from an intact asar (issue 19)', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    // onlyLoadAppFromAsar needs the app inside an asar.
    expect(config.asar).toBe(true);
    const scheme = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as { definitions: Record<string, { properties: Record<string, unknown> }> };
    expect(Object.keys(config.electronFuses ?? {}).filter((k) => !(k in (scheme.definitions.FuseOptionsV1?.properties ?? {})))).toEqual([]);
  });

  it('starts no helper process as "the exe run as Node", which the runAsNode fuse turns off', () => {
    // In the packaged desk a child process of its own is Electron's utilityProcess.fork; a
    // child_process.fork/spawn of process.execPath with ELECTRON_RUN_AS_NODE would fail there.
    const offenders = walk('electron').filter((f) => f.endsWith('.ts')).filter((f) => /ELECTRON_RUN_AS_NODE/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/** Every file under a folder, '/'-separated and relative to the repository. */
function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(relative(process.cwd(), p).split('\\').join('/'));
  }
  return out;
}

describe('runtime resources in the packaged app', () => {
  const positive = config.files.filter((f) => !f.startsWith('!')).map((g) => picomatch(g, { dot: true }));
  const unpack = config.asarUnpack.map((g) => picomatch(g, { dot: true }));
  const prodModules = productionPackages().map((d) => relative(process.cwd(), d).split('\\').join('/') + '/');
  /** electron-builder's rule: app files by the positive `files` patterns, production dependencies always, minus the negations. */
  const packaged = (p: string): boolean => (p.startsWith('node_modules/') ? prodModules.some((m) => p.startsWith(m)) : positive.some((m) => m(p))) && !excluded(p);
  const unpacked = (p: string): boolean => unpack.some((m) => m(p));

  let runtime: { file: string; onDisk: boolean }[] = [];
  beforeAll(() => {
    // The bundles are built here (fast); the page must have been built (`npm test` does, or `npx vite build`).
    execFileSync(process.execPath, ['scripts/build-electron.mjs'], { stdio: 'pipe' });
    expect(existsSync('dist/renderer/index.html'), 'dist/renderer is missing: run `npx vite build` first').toBe(true);
    const ocr = Object.values(OCR_MODEL_ASSETS).map((rel) => `node_modules/${OCR_MODELS_PACKAGE}/${rel}`);
    runtime = [
      // Read by path, some by native code (fonts by @napi-rs/canvas): on disk, unpacked.
      ...walk('resources').filter((f) => !f.startsWith('resources/windows/')).map((file) => ({ file, onDisk: true })),
      ...ocr.map((file) => ({ file, onDisk: true })),
      // Loaded by Electron itself (main, preload, the OCR worker thread, the page and its assets): inside the asar is fine.
      ...['dist-electron/main.cjs', 'dist-electron/preload.cjs', 'dist-electron/ocrWorker.cjs'].map((file) => ({ file, onDisk: false })),
      ...walk('dist/renderer').map((file) => ({ file, onDisk: false })),
    ];
  });

  it('knows the resources the desk reads at run time, the page\'s pdf.js worker and the icons among them', () => {
    const files = runtime.map((r) => r.file);
    for (const must of ['resources/rules/2024.json', 'resources/templates/exempt-2024.json', 'resources/fonts/NotoSansSC-Regular.ttf', 'resources/icons/icon.png', `node_modules/${OCR_MODELS_PACKAGE}/assets/ppocr_keys_v1.txt`]) {
      expect(files, must).toContain(must);
    }
    expect(files.some((f) => /^dist\/renderer\/assets\/pdf\.worker[^/]*\.mjs$/.test(f))).toBe(true);
    for (const f of files) expect(existsSync(f), f).toBe(true);
  });

  it('packages every one of them, and unpacks those read by path', () => {
    const missing = runtime.filter((r) => !packaged(r.file)).map((r) => r.file);
    expect(missing).toEqual([]);
    const packedButNeededOnDisk = runtime.filter((r) => r.onDisk && !unpacked(r.file)).map((r) => r.file);
    expect(packedButNeededOnDisk).toEqual([]);
  });

  it('gives the exe an icon, an ASCII name for the command line, and installs the CLI helper next to it', () => {
    expect(config.win.icon.startsWith(config.directories.buildResources)).toBe(true);
    const ico = readFileSync(config.win.icon);
    // An .ico whose entries include a 256 px image (written as 0 in the directory).
    expect(ico.readUInt16LE(2)).toBe(1);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    expect(config.executableName).toMatch(/^[A-Za-z0-9-]+$/);
    const cli = config.extraFiles.find((f) => f.to.endsWith('.cmd'))!;
    const cmd = readFileSync(cli.from);
    expect([...cmd].every((b) => b < 0x80), 'the .cmd is read in the console code page: ASCII only').toBe(true);
    expect(cmd.toString()).toContain(`"%~dp0${config.executableName}.exe" --cli %*`);
    expect(cmd.toString()).toContain('start "" /b /wait');
    expect(excluded(cli.from)).toBe(true);
  });

  it('uses only keys electron-builder knows (its own JSON schema)', () => {
    const scheme = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as { properties: Record<string, unknown>; definitions: Record<string, { properties: Record<string, unknown> }> };
    const raw = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, Record<string, unknown>>;
    expect(Object.keys(raw).filter((k) => !(k in scheme.properties))).toEqual([]);
    expect(Object.keys(raw.win ?? {}).filter((k) => !(k in (scheme.definitions.WindowsConfiguration?.properties ?? {})))).toEqual([]);
  });

  describe('in a simulated packaged layout (resources\\app.asar.unpacked next to the asar)', () => {
    const t = tempDir('desk-packaged-');
    const resourcesPath = join(t.dir, 'resources');
    const unpackedDir = join(resourcesPath, 'app.asar.unpacked');
    const saved = (process as { resourcesPath?: string }).resourcesPath;
    beforeAll(() => {
      // What electron-builder lays out for the unpacked files (links: the fonts are 10 MB each).
      for (const r of runtime.filter((x) => x.onDisk)) {
        mkdirSync(dirname(join(unpackedDir, r.file)), { recursive: true });
        symlinkSync(join(process.cwd(), r.file), join(unpackedDir, r.file));
      }
      (process as { resourcesPath?: string }).resourcesPath = resourcesPath;
    });
    afterAll(() => {
      (process as { resourcesPath?: string }).resourcesPath = saved;
      resetConfig();
      t.cleanup();
    });

    it('finds every resource there, with the configuration the shell makes and with none', () => {
      // electron/adapters/shell/main.ts: resourceDirs = [<app.asar.unpacked>/resources].
      for (const dirs of [[join(unpackedDir, 'resources')], []]) {
        configure({ ...configFromEnv({}), resourceDirs: dirs, packaged: true });
        for (const r of runtime.filter((x) => x.file.startsWith('resources/'))) {
          const rel = r.file.slice('resources/'.length);
          expect(findResource(rel), rel).toBe(join(unpackedDir, r.file));
        }
        expect(findResource('fonts')).toBe(join(unpackedDir, 'resources', 'fonts'));
      }
    });

    it('answers the unpacked OCR models, which onnxruntime can open by path', () => {
      const models = ocrModelFiles();
      expect(models).not.toBeNull();
      for (const p of Object.values(models!)) {
        expect(p.startsWith(join(unpackedDir, 'node_modules', OCR_MODELS_PACKAGE))).toBe(true);
        expect(statSync(p).size).toBeGreaterThan(0);
      }
    });
  });
});
