import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { CreditReportError } from './credit-report.errors';

/** A face of a font file, read once, that draws Chinese: what the report PDFs embed. */
export interface ReportFont {
  file: string;
  /** The PostScript name of the face (a collection holds several). */
  face: string;
  /** The file's bytes, given to pdfkit for each report instead of reading 20 MB again. */
  data: Buffer;
  /** What pdfkit is given with the bytes: the face's name for a collection, nothing for a single font (a name there would mean a variation). */
  pdfFamily: string | undefined;
  hasGlyph(codePoint: number): boolean;
}

/** Characters every report prints whatever its subject (its labels); the boot refuses a font missing any. */
export function codePointsOf(text: string): number[] {
  return [...new Set([...text].map((c) => c.codePointAt(0)!))].filter((cp) => cp > 0x20);
}

/**
 * Opens REPORT_FONT_FILE and finds REPORT_FONT_FACE in it, and checks it has a glyph for each
 * character of `required`: a font without Chinese would draw every label as an empty box.
 */
export function loadReportFont(file: string, face: string, required: string): ReportFont {
  if (!existsSync(file)) {
    throw new CreditReportError('REPORT.BAD_FONT', `REPORT_FONT_FILE ${file} does not exist (scripts/install-browser.sh installs fonts-noto-cjk)`, { file });
  }
  const data = readFileSync(file);
  let opened: fontkit.Font | fontkit.FontCollection;
  try {
    opened = fontkit.create(data);
  } catch (error) {
    throw new CreditReportError('REPORT.BAD_FONT', `REPORT_FONT_FILE ${file} is not a font: ${(error as Error).message}`, { file });
  }
  const font = 'fonts' in opened ? opened.fonts.find((f) => f.postscriptName === face) : opened.postscriptName === face ? opened : undefined;
  if (!font) {
    const faces = 'fonts' in opened ? opened.fonts.map((f) => f.postscriptName) : [opened.postscriptName];
    throw new CreditReportError('REPORT.BAD_FONT', `REPORT_FONT_FILE ${file} has no face ${face}; it has ${faces.join(', ')}`, { file, face, faces });
  }
  const missing = codePointsOf(required).filter((cp) => !font.hasGlyphForCodePoint(cp));
  if (missing.length > 0) {
    throw new CreditReportError('REPORT.BAD_FONT', `${face} in ${file} has no glyph for ${missing.length} characters the report prints, e.g. ${String.fromCodePoint(...missing.slice(0, 8))}`, {
      file,
      face,
      missing: missing.length,
    });
  }
  return { file, face, data, pdfFamily: 'fonts' in opened ? face : undefined, hasGlyph: (cp) => font.hasGlyphForCodePoint(cp) };
}
