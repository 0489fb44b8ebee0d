import PDFDocument from 'pdfkit';
import type { ReportOutline } from './credit-report.outline';
import type { ReportFont } from './report-font';

const PAGE = { size: 'A4' as const, margin: 56 };
const LABEL_WIDTH = 92;
const GAP = 8;
const FONT_NAME = 'report';

/**
 * The report as a PDF drawn by pdfkit with `font` embedded (subset), every text in that one CJK
 * face: no browser, and no fallback font that could draw Chinese as boxes. `issuedAt` is the
 * document's creation date, so the same outline gives the same bytes; the issued bytes are stored
 * all the same, since another pdfkit or font version would draw them differently.
 */
export function renderReportPdf(outline: ReportOutline, meta: { number: string; issuedAt: Date }, font: ReportFont): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margin: PAGE.margin,
    bufferPages: true,
    info: { Title: `${outline.title} ${meta.number}`, Subject: meta.number, Creator: 'credit-engine', Producer: 'credit-engine', CreationDate: meta.issuedAt, ModDate: meta.issuedAt },
    lang: 'zh-CN',
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(FONT_NAME, font.data, font.pdfFamily);
  doc.font(FONT_NAME);

  const left = PAGE.margin;
  const width = doc.page.width - 2 * PAGE.margin;
  const bottom = () => doc.page.height - PAGE.margin - 14;
  const ensure = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const fieldRows = (fields: readonly (readonly [string, string])[], size: number) => {
    doc.fontSize(size);
    for (const [label, value] of fields) {
      const valueWidth = width - LABEL_WIDTH - GAP;
      const height = Math.max(doc.heightOfString(label, { width: LABEL_WIDTH }), doc.heightOfString(value, { width: valueWidth })) + 3;
      ensure(height);
      const y = doc.y;
      doc.fillColor('#444').text(label, left, y, { width: LABEL_WIDTH });
      doc.fillColor('#000').text(value, left + LABEL_WIDTH + GAP, y, { width: valueWidth });
      doc.y = y + height;
    }
    doc.x = left;
  };

  doc.fontSize(20).text(outline.title, left, doc.y, { width, align: 'center', characterSpacing: 4 });
  doc.fontSize(11).text(outline.subtitle, { width, align: 'center' });
  doc.moveDown(0.8);
  fieldRows(outline.header, 10);
  for (const section of outline.sections) {
    doc.moveDown(0.6);
    ensure(40);
    doc.fontSize(13).fillColor('#000').text(section.title, left, doc.y, { width });
    doc.moveTo(left, doc.y + 1).lineTo(left + width, doc.y + 1).lineWidth(1).stroke('#333');
    doc.moveDown(0.4);
    if (section.items.length === 0) {
      doc.fontSize(10).fillColor('#444').text(section.empty, left, doc.y, { width });
      continue;
    }
    for (const item of section.items) {
      ensure(30);
      doc.fontSize(11).fillColor('#000').text(item.heading, left, doc.y, { width });
      doc.moveDown(0.2);
      fieldRows(item.fields, 9.5);
      doc.moveDown(0.3);
    }
  }
  doc.moveDown(1);
  ensure(60);
  doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.5).stroke('#333');
  doc.moveDown(0.4);
  doc.fontSize(8.5).fillColor('#000');
  for (const line of outline.footer) doc.text(line, left, doc.y, { width });

  // Every page names the report and its page, in the bottom margin (drawn without reflowing the page).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { margins } = doc.page;
    doc.page.margins = { ...margins, bottom: 0 };
    doc.fontSize(8).fillColor('#444').text(`报告编号 ${meta.number}    第 ${i + 1} 页 共 ${range.count} 页`, left, doc.page.height - PAGE.margin + 12, { width, align: 'center', lineBreak: false });
    doc.page.margins = margins;
  }
  doc.end();
  return done;
}
