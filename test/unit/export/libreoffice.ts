/**
 * LibreOffice headless as an independent reader of the desk's spreadsheets: convert to PDF, and
 * ask Calc itself how tall each row must be for its wrapped text (a Basic macro sets every row
 * to its optimal height and reports the height the file had and the one Calc needs). Calc does
 * not re-measure rows when it opens a file, just as Excel does not, so the stored heights are what
 * people see. A missing LibreOffice fails the calling test and names the Debian package.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function soffice(): string {
  const found = spawnSync('which', ['soffice'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('soffice not found: apt-get install -y --no-install-recommends libreoffice-calc-nogui');
  return found;
}

const env = (profile: string): string => `-env:UserInstallation=${pathToFileURL(profile).href}`;

/** The XLSX as LibreOffice prints it (PDF path). */
export function xlsxToPdf(xlsx: string, outDir: string, profile: string): string {
  mkdirSync(outDir, { recursive: true });
  execFileSync(soffice(), [env(profile), '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, xlsx], { stdio: 'ignore', timeout: 120_000 });
  const pdf = readdirSync(outDir).find((f) => f.endsWith('.pdf'));
  if (!pdf) throw new Error(`LibreOffice wrote no PDF for ${xlsx}`);
  return join(outDir, pdf);
}

const MACRO = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub RowHeights(inUrl As String, outPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  n = FreeFile
  Open outPath For Output As #n
  For s = 0 To doc.Sheets.Count - 1
    sh = doc.Sheets.getByIndex(s)
    cur = sh.createCursor()
    cur.gotoEndOfUsedArea(False)
    For r = 0 To cur.RangeAddress.EndRow
      row = sh.Rows.getByIndex(r)
      h = row.Height
      row.OptimalHeight = True
      Print #n, s &amp; &quot;	&quot; &amp; r &amp; &quot;	&quot; &amp; h &amp; &quot;	&quot; &amp; row.Height
    Next r
  Next s
  Close #n
  doc.close(True)
End Sub
</script:module>
`;

export interface RowHeight {
  sheet: number;
  /** 1-based, as Excel and exceljs count. */
  row: number;
  /** Height stored in the file and the height Calc finds optimal, in points. */
  stored: number;
  optimal: number;
}

/** Every used row of every sheet: the stored height and what LibreOffice Calc needs for it. */
export function optimalRowHeights(xlsx: string, profile: string): RowHeight[] {
  const basic = join(profile, 'user', 'basic', 'Standard');
  if (!existsSync(join(basic, 'Module1.xba'))) {
    // A fresh profile first, then the macro in its Standard library.
    execFileSync(soffice(), [env(profile), '--headless', '--norestore', '--terminate_after_init'], { stdio: 'ignore', timeout: 120_000 });
  }
  writeFileSync(join(basic, 'Module1.xba'), MACRO);
  const out = join(profile, 'heights.tsv');
  writeFileSync(out, '');
  execFileSync(soffice(), [env(profile), '--headless', '--norestore', `macro:///Standard.Module1.RowHeights("${pathToFileURL(xlsx).href}","${out}")`], { stdio: 'ignore', timeout: 120_000 });
  const mm100 = 72 / 2540;
  return readFileSync(out, 'utf8').split(/\r?\n/).filter(Boolean).map((l) => {
    const [s, r, h, o] = l.split('\t').map(Number);
    return { sheet: s ?? 0, row: (r ?? 0) + 1, stored: (h ?? 0) * mm100, optimal: (o ?? 0) * mm100 };
  });
}
