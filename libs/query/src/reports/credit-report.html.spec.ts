import { escapeHtml, renderReportHtml } from './credit-report.html';
import { reportOutline } from './credit-report.outline';
import { sampleCreditReport } from './credit-report.sample';

describe('the HTML rendering', () => {
  it('is a zh-CN page without scripts, every value escaped', () => {
    const report = sampleCreditReport();
    report.purpose = '<script>alert("x")</script> & 招标';
    report.subject.name = '示例"公司\'<b>';
    const html = renderReportHtml(reportOutline(report), report.number);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 招标');
    expect(html).toContain('示例&quot;公司&#39;&lt;b&gt;');
    expect(html).toContain('<h1>公共信用信息报告</h1>');
    expect(html).toContain(report.number);
  });

  it('shows an empty section as 无', () => {
    const report = { ...sampleCreditReport(), penalties: [] };
    expect(renderReportHtml(reportOutline(report), report.number)).toContain('<h2>五、行政处罚信息（公示期内）</h2><p class="empty">无</p>');
  });

  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
