import type { ReportOutline } from './credit-report.outline';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and attribute values: every markup character escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
  body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif; color: #111; max-width: 210mm; margin: 0 auto; padding: 16mm 14mm; line-height: 1.6; }
  h1 { text-align: center; font-size: 22pt; letter-spacing: 0.2em; margin: 0; }
  .subtitle { text-align: center; margin: 0.2em 0 1.2em; }
  table { border-collapse: collapse; width: 100%; margin: 0.4em 0; }
  th, td { border: 1px solid #555; padding: 4px 8px; vertical-align: top; text-align: left; font-size: 10.5pt; }
  th { width: 8em; background: #f2f2f2; font-weight: normal; }
  h2 { font-size: 13pt; border-bottom: 2px solid #333; margin: 1.4em 0 0.4em; padding-bottom: 2px; }
  h3 { font-size: 11pt; margin: 0.8em 0 0.2em; }
  .empty { color: #444; }
  footer { margin-top: 2em; border-top: 1px solid #333; padding-top: 0.6em; font-size: 9.5pt; word-break: break-all; }
  @media print { body { padding: 0; } }`;

const rows = (fields: readonly (readonly [string, string])[]) => fields.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');

/** The report as one self-contained HTML page (no scripts, no external resources), every value escaped. */
export function renderReportHtml(outline: ReportOutline, number: string): string {
  const sections = outline.sections
    .map((section) => {
      const body = section.items.length === 0 ? `<p class="empty">${escapeHtml(section.empty)}</p>` : section.items.map((item) => `<h3>${escapeHtml(item.heading)}</h3><table>${rows(item.fields)}</table>`).join('');
      return `<section><h2>${escapeHtml(section.title)}</h2>${body}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="report-number" content="${escapeHtml(number)}">
<title>${escapeHtml(outline.title)} ${escapeHtml(number)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(outline.title)}</h1><p class="subtitle">${escapeHtml(outline.subtitle)}</p><table>${rows(outline.header)}</table></header>
<main>
${sections}
</main>
<footer>${outline.footer.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</footer>
</body>
</html>
`;
}
