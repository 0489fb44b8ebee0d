import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as fontkit from 'fontkit';
import { loadAppConfig } from '@app/config';
import { codePointsOf, contentSha256, loadReportFont, OUTLINE_VOCABULARY, outlineText, renderReportPdf, reportOutline, ReportFont, sampleCreditReport } from '@app/query';

/**
 * The report PDF draws its Chinese in the CJK font the project installs (scripts/install-browser.sh).
 * pdftotext alone proves nothing here (a PDF of empty boxes still gives its text back), so this
 * also reads the embedded fonts, checks every code point against the font, and looks at the ink
 * of the title on a pdftoppm image: its characters must be distinct shapes (the two 信 alike), where
 * a font without Chinese draws eight identical .notdef boxes, which the same measurement catches.
 */
const config = loadAppConfig({});
const TITLE = '公共信用信息报告';
const dir = mkdtempSync(join(tmpdir(), 'credit-report-pdf-'));
const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'latin1' });

const report = sampleCreditReport();
const outline = reportOutline(report);
const meta = { number: report.number, issuedAt: new Date(report.issuedAt) };

/** P5 (binary greyscale) PGM as pdftoppm -gray writes it. */
function readPgm(file: string): { width: number; height: number; pixels: Buffer } {
  const data = readFileSync(file);
  const header = data.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error(`${file} is not a binary PGM`);
  return { width: Number(header[1]), height: Number(header[2]), pixels: data.subarray(header[0].length) };
}

/** The title band of page 1 at 144 dpi: where renderReportPdf draws the title (its top margin is 56 pt). */
function titleBand(pdf: Buffer, name: string): { width: number; height: number; pixels: Buffer } {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  run('pdftoppm', ['-gray', '-r', '144', '-f', '1', '-l', '1', '-x', '0', '-y', String(50 * 2), '-W', String(595 * 2), '-H', String(30 * 2), file, join(dir, name)]);
  return readPgm(join(dir, `${name}-1.pgm`));
}

/** Glyph images of a band, split at blank columns at least `gap` px wide; each as a string of ink bits over its own bounding columns. */
function glyphImages(band: { width: number; height: number; pixels: Buffer }, gap: number): string[] {
  const inkAt = (x: number, y: number) => band.pixels[y * band.width + x] < 128;
  const columnInk = Array.from({ length: band.width }, (_, x) => Array.from({ length: band.height }, (_, y) => inkAt(x, y)).some(Boolean));
  const glyphs: [number, number][] = [];
  let start = -1;
  let blank = 0;
  for (let x = 0; x < band.width; x++) {
    if (columnInk[x]) {
      if (start < 0) start = x;
      blank = 0;
    } else if (start >= 0 && ++blank >= gap) {
      glyphs.push([start, x - blank]);
      start = -1;
    }
  }
  if (start >= 0) glyphs.push([start, band.width - 1]);
  return glyphs.map(([from, to]) => Array.from({ length: band.height }, (_, y) => Array.from({ length: to - from + 1 }, (_, i) => (inkAt(from + i, y) ? '1' : '0')).join('')).join('/'));
}

/** A font file on this machine without Chinese glyphs (DejaVu comes with fontconfig): what boxes look like. */
function fontWithoutChinese(): ReportFont {
  const files = run('fc-list', [':fontformat=TrueType', 'file']).split('\n').map((line) => line.replace(/:\s*$/, '').trim()).filter((f) => f.endsWith('.ttf'));
  for (const file of files) {
    const font = fontkit.openSync(file);
    if ('fonts' in font || font.hasGlyphForCodePoint(TITLE.codePointAt(0)!)) continue;
    return { file, face: font.postscriptName, data: readFileSync(file), pdfFamily: undefined, hasGlyph: (cp) => font.hasGlyphForCodePoint(cp) };
  }
  throw new Error('no TrueType font without Chinese glyphs found (fonts-dejavu-core is a dependency of fontconfig)');
}

describe('credit report PDF', () => {
  let font: ReportFont;
  let pdf: Buffer;

  beforeAll(async () => {
    font = loadReportFont(config.REPORT_FONT_FILE, config.REPORT_FONT_FACE, outlineText(outline) + OUTLINE_VOCABULARY);
    pdf = await renderReportPdf(outline, meta, font);
  });

  it('refuses at start-up a font file that is missing, lacks the face, or lacks the Chinese glyphs (REPORT.BAD_FONT)', () => {
    const required = outlineText(outline) + OUTLINE_VOCABULARY;
    expect(() => loadReportFont('/nonexistent/font.ttc', config.REPORT_FONT_FACE, required)).toThrow(expect.objectContaining({ code: 'REPORT.BAD_FONT', message: expect.stringContaining('does not exist') }));
    expect(() => loadReportFont(config.REPORT_FONT_FILE, 'NotoSansCJKxx-Regular', required)).toThrow(expect.objectContaining({ code: 'REPORT.BAD_FONT', message: expect.stringContaining('NotoSansCJKsc-Regular') }));
    const latin = fontWithoutChinese();
    expect(() => loadReportFont(latin.file, latin.face, required)).toThrow(expect.objectContaining({ code: 'REPORT.BAD_FONT', message: expect.stringMatching(/no glyph for \d+ characters/) }));
  });

  it('has a Chinese font installed (fc-list :lang=zh)', () => {
    expect(run('fc-list', [':lang=zh', 'family']).trim()).not.toBe('');
  });

  it('embeds the Noto CJK SC face and no other font', () => {
    const rows = run('pdffonts', [writeTemp('fonts.pdf', pdf)]).split('\n').slice(2).filter((line) => line.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+NotoSansCJKsc-Regular\s/);
      // emb sub uni: embedded, subset, with a ToUnicode map (so the text can be copied and searched).
      expect(row).toMatch(/\syes\s+yes\s+yes\s/);
    }
  });

  it('has a glyph in that face for every character the report prints', () => {
    const points = codePointsOf(outlineText(outline));
    expect(points.filter((cp) => cp >= 0x4e00 && cp <= 0x9fff).length).toBeGreaterThan(100);
    expect(points.filter((cp) => !font.hasGlyph(cp)).map((cp) => String.fromCodePoint(cp))).toEqual([]);
  });

  it('gives the text back: title, number, verification address and content hash', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', writeTemp('text.pdf', pdf), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(TITLE);
    expect(text).toContain(report.number);
    expect(text).toContain(contentSha256(report));
    expect(text).toContain(report.verification.url);
    expect(text).toContain('信用承诺及履约情况');
    expect(text).toContain(report.subject.name!);
  });

  it('draws the title as distinct Chinese glyphs, where a font without Chinese draws identical boxes', async () => {
    const glyphs = glyphImages(titleBand(pdf, 'cjk'), 6);
    expect(glyphs).toHaveLength([...TITLE].length);
    for (const glyph of glyphs) expect(glyph.split('').filter((b) => b === '1').length).toBeGreaterThan(40);
    // 公共信用信息报告: the 3rd and 5th characters are both 信, every other one differs.
    expect(glyphs[2]).toBe(glyphs[4]);
    expect(new Set(glyphs).size).toBe([...new Set(TITLE)].length);

    // The same measurement on the same report drawn in a font without Chinese: boxes, all alike.
    const boxes = glyphImages(titleBand(await renderReportPdf(outline, meta, fontWithoutChinese()), 'boxes'), 6);
    expect(boxes).toHaveLength([...TITLE].length);
    expect(new Set(boxes).size).toBe(1);
  });
});

function writeTemp(name: string, data: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
}

describe('scripts/install-browser.sh', () => {
  // Stand-ins for the tools it looks for, so the test sees only its decision: skip (exit 0) or go on to install (as a non-root user: exit 1).
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  for (const tool of ['chromium', 'pdftoppm', 'pdffonts', 'pdftotext']) stub(tool, 'exit 0');
  // Another Chinese font than Noto CJK: what a machine with only, say, WenQuanYi shows.
  stub('fc-list', "echo '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc: WenQuanYi Zen Hei:style=Regular'");
  stub('id', 'echo 1000');
  const script = resolve(__dirname, '../../scripts/install-browser.sh');
  const runScript = (fontFile: string) => spawnSync('bash', [script], { env: { PATH: `${bin}:/usr/bin:/bin`, REPORT_FONT_FILE: fontFile }, encoding: 'utf8' });

  it('does not skip when a Chinese font other than the report font is installed', () => {
    const result = runScript(join(dir, 'no-such-NotoSansCJK-Regular.ttc'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('run as root');
  });

  it('skips when the report font file is there', () => {
    const font = join(dir, 'NotoSansCJK-Regular.ttc');
    writeFileSync(font, '');
    expect(runScript(font).status).toBe(0);
  });
});
