import type { CreditReport } from './credit-report.model';

/**
 * A report with every section filled: the boot checks the report font against its text (every
 * label the renderers print), and tests render it. Its names and numbers are invented; its legal
 * basis is the catalogue's own (rules/instruments.json titles carry their 《》).
 */
export function sampleCreditReport(): CreditReport {
  const basis = [{ instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law' as const, version: '2014' }, article: '第二十二条第一款' }];
  const court = { code: 'court', name: { zh: '利州区人民法院', en: 'Lizhou District Court' } };
  const entry = (type: string) => ({
    list: { code: 'judgment-debtor', type, name: { zh: '失信被执行人名单', en: 'List of dishonest judgment debtors' } },
    memorandum: { id: 'judgment-debtors', version: '1.0.0', title: { zh: '关于对失信被执行人实施联合惩戒的合作备忘录', en: '' }, documentNumber: '发改财金〔2016〕141号' },
    identifyingDepartment: court,
    reason: 'refused-to-perform',
    documentNumber: '（2026）川0802执123号',
    validFrom: '2026-01-05',
    validTo: '2028-01-04',
    disputed: type === 'black',
  });
  return {
    schemaVersion: 1,
    number: 'XYBG-20261201-000001',
    issuedAt: '2026-12-01T02:03:04.005Z',
    asOf: '2026-12-01',
    use: { code: 'tendering', name: { zh: '招标投标', en: 'Tendering and bidding' } },
    purpose: '利州区政府采购项目 广利采〔2026〕17号 资格审查',
    issuingDepartment: { code: 'finance', name: { zh: '利州区财政局', en: 'Lizhou Finance Bureau' } },
    subject: { idType: 'USCC', id: '91510802MA62XK0U3U', kind: 'enterprise', name: '广元市利州区示例建筑工程有限公司' },
    verification: { url: 'http://localhost:3002/v1/public/reports/XYBG-20261201-000001' },
    creditClasses: [
      {
        model: { id: 'market-credit-class', title: { zh: '市场主体信用风险分类', en: 'Market credit risk class' }, owner: 'market-regulation', version: '1.0.0', revision: 'abc' },
        class: 'C',
        label: { zh: '较高风险', en: 'Higher risk' },
        basis: 'rule',
        rule: { name: 'broken-commitment', description: { zh: '一年内有未履行的信用承诺', en: 'A broken commitment' } },
        matchedFacts: { 'commitments.broken': 1 },
        explanation: { zh: 'C 类（较高风险）：一年内有未履行的信用承诺', en: 'C: a broken commitment' },
        since: '2026-11-20T01:00:00.000Z',
      },
    ],
    listMemberships: [entry('black'), entry('key-attention')],
    commendations: [{ ...entry('red'), list: { code: 'a-grade-taxpayer', type: 'red', name: { zh: '纳税信用A级纳税人名单', en: 'A-grade taxpayers' } } }],
    measures: [
      {
        code: 'JD-01',
        category: 'restrict',
        text: { zh: '限制失信被执行人作为供应商参加政府采购活动。', en: '' },
        implementingDepartment: { code: 'finance', name: { zh: '利州区财政局', en: '' } },
        targetRole: 'legal-representative',
        via: { list: 'judgment-debtor', subjectId: '91510802MA62XK0U3U', subjectName: '广元市利州区示例建筑工程有限公司' },
        legalBasis: basis,
        memorandum: { id: 'judgment-debtors', documentNumber: '发改财金〔2016〕141号' },
        validFrom: '2026-01-05',
        validTo: '2028-01-04',
        disputed: true,
      },
    ],
    penalties: [
      {
        department: { code: 'environment', name: { zh: '广元市利州生态环境局', en: '' } },
        penaltyType: 'fine',
        severity: 'serious',
        reason: 'excess-emission',
        documentNumber: '广环罚〔2026〕7号',
        decidedOn: '2026-03-01',
        fineAmountYuan: 200000,
        publicUntil: '2027-03-01',
        legalBasis: basis,
        disputed: true,
      },
    ],
    commitments: {
      record: { open: 1, kept: 1, broken: 1 },
      items: (['open', 'kept', 'broken'] as const).map((state) => ({
        department: { code: 'market-regulation', name: { zh: '利州区市场监督管理局', en: '' } },
        reference: `CN-2026-${state}`,
        approvalItem: { code: 'food-business-licence', name: '食品经营许可' },
        promise: '开业前补交消防验收合格证明',
        dueOn: '2026-10-31',
        approval: { reference: '利食许〔2026〕88号', grantedOn: '2026-09-01' },
        state,
        closedOn: state === 'open' ? null : '2026-11-01',
        breachKind: state === 'broken' ? ('overdue' as const) : null,
        evidenceReference: state === 'kept' ? '消验字〔2026〕12号' : null,
        corrected: false,
      })),
    },
    selfDiscipline: {
      counts: { warning: 0, 'circulated-criticism': 1, 'public-condemnation': 1 },
      sanctions: (['circulated-criticism', 'public-condemnation'] as const).map((sanction) => ({
        association: { code: 'construction-association', name: { zh: '利州区建筑业协会', en: '' } },
        industry: 'construction',
        sanction,
        reason: 'bid-rigging',
        documentNumber: '利建协〔2026〕3号',
        decidedOn: '2026-06-01',
        publicUntil: '2027-06-01',
      })),
    },
    objectionsAndRepairs: (['objection-filed', 'objection-resolved', 'repair-approved'] as const).map((kind) => ({
      kind,
      department: court,
      documentNumber: '利法异〔2026〕5号',
      decidedOn: '2026-07-01',
      target: { listCode: 'judgment-debtor', penaltyDocumentNumber: null, decisionId: null },
      objectionId: kind === 'repair-approved' ? null : 'OBJ-1',
      resolution: kind === 'objection-resolved' ? ('revoked' as const) : null,
      effect: kind === 'objection-filed' ? null : ('applied' as const),
    })),
  };
}
