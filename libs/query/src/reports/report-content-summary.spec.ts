import { sampleCreditReport } from './credit-report.sample';
import { reportContentSummary } from './report-content-summary';

describe('the content summary a verification answers', () => {
  it("gives an organisation's report its counts, classes, list codes and entries' document numbers, as printed", () => {
    const report = sampleCreditReport();
    expect(reportContentSummary(report)).toEqual({
      counts: {
        creditClasses: 1,
        listMemberships: 2,
        commendations: 1,
        measures: 1,
        penalties: 1,
        commitments: 3,
        selfDisciplineSanctions: report.selfDiscipline.sanctions.length,
        objectionsAndRepairs: report.objectionsAndRepairs.length,
      },
      creditClasses: [{ model: 'market-credit-class', class: 'C' }],
      listCodes: ['judgment-debtor', 'judgment-debtor', 'a-grade-taxpayer'],
      documentNumbers: ['（2026）川0802执123号', '（2026）川0802执123号', '（2026）川0802执123号'],
    });
  });

  it("gives a natural person's report its counts only: no class, list or document number", () => {
    const report = { ...sampleCreditReport(), subject: { idType: 'RESIDENT_ID', id: '510802199003071232', kind: 'individual', name: '王建国' } };
    const summary = reportContentSummary(report);
    expect(summary).toEqual({ counts: expect.objectContaining({ listMemberships: 2, measures: 1 }), creditClasses: null, listCodes: null, documentNumbers: null });
    expect(JSON.stringify(summary)).not.toMatch(/执|judgment|market-credit/);
  });
});
