import type { CommitmentRow, CurrentMeasureRow, ListEntryRow, ObjectionOrRepairRow, PenaltyInPublicityRow } from '@app/persistence';
import { buildCreditReport, canonicalJson, contentSha256, ReportCatalogue, ReportFacts, ReportHeader } from './credit-report.model';
import { parseReportRequest } from './credit-report.request';

const ORG = { idType: 'USCC', id: '91510802MA62XK0U3U' };
const basis = (instrument: string, article: string) => ({ instrument: { id: instrument, title: instrument, documentNumber: null, level: 'law' as const, version: '1' }, article });

const header: ReportHeader = {
  number: 'XYBG-20261201-000007',
  issuedAt: new Date('2026-12-01T02:00:00.000Z'),
  asOf: '2026-12-01',
  use: 'tendering',
  purpose: '广利采〔2026〕17号',
  department: 'finance',
  subject: ORG,
  verifyUrl: 'https://credit.example.gov.cn/v1/public/reports',
};

const catalogue: ReportCatalogue = {
  departmentName: (code) => (code === 'unknown' ? null : { zh: `${code}局`, en: code }),
  list: (code) => ({ name: { zh: `${code}名单`, en: code } }),
  memorandum: (id) => ({ title: { zh: `${id}备忘录`, en: id }, documentNumber: `${id}〔2016〕1号` }),
  classModels: [],
  sanctionPublicity: () => ({ warning: 6, 'circulated-criticism': 12, 'public-condemnation': 36 }),
};

function entry(listType: string, listCode: string): ListEntryRow {
  return {
    id: `e-${listCode}`, decisionId: 'd-1', memorandumId: 'judgment-debtors', memorandumVersion: '1.0.0', listCode, listType, subjectKind: 'enterprise',
    subjectIdType: ORG.idType, subjectId: ORG.id, subjectName: '示例公司', reason: 'refused-to-perform', documentNumber: `DOC-${listCode}`,
    identifyingDepartment: 'court', validFrom: '2026-01-01', validTo: '2027-12-31', state: 'active', disputed: listType === 'black', objectionId: null, endReason: null, createdAt: '2026-01-01 00:00:00+00',
  };
}

function commitment(state: CommitmentRow['state'], reference: string): CommitmentRow {
  return {
    id: reference, department: 'market-regulation', reference, contentHash: 'h', subjectKind: 'enterprise', subjectIdType: ORG.idType, subjectId: ORG.id, subjectName: '示例公司',
    approvalItemCode: 'food-business-licence', approvalItemName: '食品经营许可', promise: '补交材料', dueOn: '2026-10-31', approvalReference: 'A-1', approvalGrantedOn: '2026-09-01',
    state, closedOn: state === 'open' ? null : '2026-11-01', closedAt: null, evidenceReference: state === 'kept' ? 'EV-1' : null, breachKind: state === 'breached' ? 'overdue' : null,
    breachReason: null, breachEventId: null, recordedAt: new Date('2026-09-01T00:00:00Z'), settledAt: null, correctedAt: null, correctionReason: null, correctedBy: null, withdrawalEventId: null,
  };
}

const measure = {
  id: 't-1', decisionId: 'd-1', listEntryId: 'e-x', memorandumId: 'judgment-debtors', measureCode: 'JD-01', category: 'restrict', text: { zh: '限制参加政府采购', en: 'restrict' },
  implementingDepartment: 'finance', cooperatingDepartments: [], legalBasis: [basis('gpl', '第二十二条')], targetRole: 'legal-representative', targetIdType: 'RESIDENT_ID',
  targetId: '510802199003071232', targetName: '张三', validFrom: '2026-01-01', validTo: '2027-12-31', state: 'active', endedAt: null, endReason: null, disputed: false,
  feedbackDueOn: null, feedbackDueProvisional: false, createdAt: '2026-01-01T00:00:00.000Z',
  explanation: { memorandum: { id: 'judgment-debtors', documentNumber: '发改财金〔2016〕141号' }, rule: null, ruleSetRevision: null },
  listEntry: { id: 'e-x', listCode: 'judgment-debtor', subjectKind: 'enterprise', subjectId: ORG.id, subjectName: '示例公司', disputed: true },
} as CurrentMeasureRow;

const penalty: PenaltyInPublicityRow = {
  decisionId: 'd-2', source: '/departments/environment', eventId: 'ev-1', penaltyType: 'fine', severity: 'serious', reason: 'excess-emission', documentNumber: '广环罚〔2026〕7号',
  decidedOn: '2026-03-01', fineAmountYuan: 200000, memorandumId: 'environmental-dishonesty', validFrom: '2026-03-01', publicUntil: '2027-03-01',
  legalBasis: [basis('epl', '第五十九条'), basis('epl', '第五十九条'), basis('gpl', '第二十二条')], disputed: false,
};

const objection: ObjectionOrRepairRow = {
  type: 'credit.objection.resolved.v1', source: '/departments/court', eventId: 'ob-2',
  data: { documentNumber: '利法异〔2026〕5号', decidedOn: '2026-07-01', listCode: 'judgment-debtor', penaltyDocumentNumber: null, decisionId: null, objectionId: 'OBJ-1', reason: null, outcome: 'confirmed' },
  outcome: { status: 'no-effect', code: null, reason: null },
};

const facts: ReportFacts = {
  identity: { name: '示例公司', kind: 'enterprise' },
  classes: [],
  entries: [entry('black', 'judgment-debtor'), entry('red', 'a-grade-taxpayer')],
  measures: [measure],
  penalties: [penalty],
  commitments: [commitment('open', 'C-1'), commitment('kept', 'C-2'), commitment('breached', 'C-3')],
  sanctions: [
    { association: 'construction-association', sanction: 'public-condemnation', industry: 'construction', reason: 'bid-rigging', documentNumber: 'AS-1', decidedOn: '2026-06-01', eventId: 's-1' },
    // Decided 13 months ago: past its 12 months of publicity, so not shown.
    { association: 'construction-association', sanction: 'circulated-criticism', industry: 'construction', reason: 'late', documentNumber: 'AS-0', decidedOn: '2025-11-01', eventId: 's-0' },
  ],
  objectionsAndRepairs: [objection],
};

describe('buildCreditReport', () => {
  const report = buildCreditReport(header, facts, catalogue);

  it('heads the report with its number, use, purpose, issuer and the verification address', () => {
    expect(report).toMatchObject({
      schemaVersion: 1,
      number: 'XYBG-20261201-000007',
      issuedAt: '2026-12-01T02:00:00.000Z',
      asOf: '2026-12-01',
      use: { code: 'tendering', name: { zh: '招标投标' } },
      purpose: '广利采〔2026〕17号',
      issuingDepartment: { code: 'finance', name: { zh: 'finance局' } },
      subject: { ...ORG, kind: 'enterprise', name: '示例公司' },
      verification: { url: 'https://credit.example.gov.cn/v1/public/reports/XYBG-20261201-000007' },
    });
  });

  it('puts red lists under commendations and the others under list memberships, each with its memorandum as basis', () => {
    expect(report.listMemberships.map((e) => e.list.code)).toEqual(['judgment-debtor']);
    expect(report.commendations.map((e) => e.list.code)).toEqual(['a-grade-taxpayer']);
    expect(report.listMemberships[0]).toMatchObject({
      memorandum: { id: 'judgment-debtors', title: { zh: 'judgment-debtors备忘录' }, documentNumber: 'judgment-debtors〔2016〕1号' },
      identifyingDepartment: { code: 'court' },
      documentNumber: 'DOC-judgment-debtor',
      disputed: true,
    });
  });

  it("shows a related person's measure with the organisation it stems from, disputed when its entry is", () => {
    expect(report.measures[0]).toMatchObject({ code: 'JD-01', targetRole: 'legal-representative', via: { list: 'judgment-debtor', subjectId: ORG.id }, disputed: true, memorandum: { documentNumber: '发改财金〔2016〕141号' } });
  });

  it('names the penalty by its deciding department and cites each article once', () => {
    expect(report.penalties[0]).toMatchObject({ department: { code: 'environment' }, documentNumber: '广环罚〔2026〕7号', publicUntil: '2027-03-01', fineAmountYuan: 200000 });
    expect(report.penalties[0].legalBasis.map((b) => `${b.instrument.id} ${b.article}`)).toEqual(['epl 第五十九条', 'gpl 第二十二条']);
  });

  it('counts commitments open, kept and broken (a breach reads as broken; one taken back is not read at all)', () => {
    expect(report.commitments.record).toEqual({ open: 1, kept: 1, broken: 1 });
    expect(report.commitments.items.map((c) => c.state)).toEqual(['open', 'kept', 'broken']);
    expect(report.commitments.items[2].breachKind).toBe('overdue');
  });

  it("shows the associations' sanctions still within their publicity only", () => {
    expect(report.selfDiscipline.sanctions.map((s) => s.documentNumber)).toEqual(['AS-1']);
    expect(report.selfDiscipline.counts['public-condemnation']).toBe(1);
    expect(report.selfDiscipline.counts['circulated-criticism']).toBe(0);
  });

  it('shows objections and repairs with their resolution and what the lifecycle did', () => {
    expect(report.objectionsAndRepairs).toEqual([
      { kind: 'objection-resolved', department: { code: 'court', name: { zh: 'court局', en: 'court' } }, documentNumber: '利法异〔2026〕5号', decidedOn: '2026-07-01',
        target: { listCode: 'judgment-debtor', penaltyDocumentNumber: null, decisionId: null }, objectionId: 'OBJ-1', resolution: 'confirmed', effect: 'no-effect' },
    ]);
  });

  it('is the same report from the same facts, and its content hash ignores key order', () => {
    expect(buildCreditReport(header, facts, catalogue)).toEqual(report);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
    const reverse = (v: unknown): unknown => (Array.isArray(v) ? v.map(reverse) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v);
    const reordered = reverse(report) as typeof report;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(report));
    expect(contentSha256(reordered)).toBe(contentSha256(report));
    expect(contentSha256({ ...report, purpose: 'x' })).not.toBe(contentSha256(report));
  });

  it('gives a natural person on whom nothing is recorded the kind individual and no name', () => {
    const person = buildCreditReport({ ...header, subject: { idType: 'RESIDENT_ID', id: '510802199003071232' } }, { ...facts, identity: { name: null, kind: null }, entries: [], measures: [] }, catalogue);
    expect(person.subject).toEqual({ idType: 'RESIDENT_ID', id: '510802199003071232', kind: 'individual', name: null });
  });
});

describe('parseReportRequest', () => {
  const ok = { subject: ORG.id, use: 'tendering', purpose: '  招标文件 17号  ' };

  it('takes subject, idType, use and a trimmed purpose', () => {
    expect(parseReportRequest(ok)).toEqual({ subject: ORG.id, idType: undefined, use: 'tendering', purpose: '招标文件 17号' });
  });

  it.each([
    [[], 'REPORT.INVALID_REQUEST'],
    [{ ...ok, extra: 1 }, 'REPORT.INVALID_REQUEST'],
    [{ ...ok, subject: '' }, 'REPORT.INVALID_REQUEST'],
    [{ ...ok, idType: 3 }, 'REPORT.INVALID_REQUEST'],
    [{ ...ok, use: 'lottery' }, 'REPORT.UNKNOWN_USE'],
    [{ ...ok, use: 'toString' }, 'REPORT.UNKNOWN_USE'],
    [{ ...ok, purpose: '   ' }, 'REPORT.PURPOSE_REQUIRED'],
    [{ subject: ORG.id, use: 'tendering' }, 'REPORT.PURPOSE_REQUIRED'],
    [{ ...ok, purpose: '招'.repeat(201) }, 'REPORT.BAD_PURPOSE'],
    [{ ...ok, purpose: 'a\u0007b' }, 'REPORT.BAD_PURPOSE'],
  ])('refuses %j with %s', (body, code) => {
    expect(() => parseReportRequest(body)).toThrow(expect.objectContaining({ code }));
  });
});
