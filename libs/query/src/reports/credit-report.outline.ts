import type { AssociationSanction, BilingualText } from '@app/domain';
import type { RecordedLegalBasis } from '@app/rules';
import { contentSha256, type CreditReport, type ObjectionOrRepairKind, type ReportCommitmentState, type ReportDepartment, type ReportListEntry } from './credit-report.model';
import { CODE_LENGTH } from './report-identifiers';

/** One item of a section: a heading line and its labelled fields. */
export interface OutlineItem {
  heading: string;
  fields: [label: string, value: string][];
}

export interface OutlineSection {
  title: string;
  /** Shown when the section has no items (e.g. 无). */
  empty: string;
  items: OutlineItem[];
}

/** The report as both renderings lay it out, in Chinese: the one place its wording lives. */
export interface ReportOutline {
  title: string;
  subtitle: string;
  header: [label: string, value: string][];
  sections: OutlineSection[];
  footer: string[];
}

const NONE = '无';
const ID_TYPES: Record<string, string> = { USCC: '统一社会信用代码', RESIDENT_ID: '居民身份证号码' };
const KINDS: Record<string, string> = { enterprise: '企业', individual: '自然人', 'social-organisation': '社会组织', 'public-institution': '事业单位' };
const LIST_TYPES: Record<string, string> = { black: '严重失信主体名单', 'key-attention': '重点关注名单', red: '守信激励名单' };
const SEVERITIES: Record<string, string> = { minor: '轻微', general: '一般', serious: '严重' };
const SANCTIONS: Record<AssociationSanction, string> = { warning: '警告', 'circulated-criticism': '行业内通报批评', 'public-condemnation': '公开谴责' };
const COMMITMENT_STATES = { open: '履约期内', kept: '已履约', broken: '未履约（失信）' } as const satisfies Record<ReportCommitmentState, string>;
const BREACH_KINDS = { reported: '部门报告违诺', overdue: '逾期未履约' } as const;
const ROLES: Record<string, string> = { subject: '主体本身', 'legal-representative': '法定代表人', 'responsible-manager': '主要负责人', 'actual-controller': '实际控制人' };
const LIFECYCLE: Record<ObjectionOrRepairKind, string> = { 'objection-filed': '异议申请', 'objection-resolved': '异议处理结果', 'repair-approved': '信用修复' };
const RESOLUTIONS = { confirmed: '维持原记录', revoked: '撤销原记录' } as const;
const EFFECTS = { applied: '已生效', refused: '未予受理', 'no-effect': '无需变更' } as const;

const zh = (text: BilingualText | null | undefined, fallback: string): string => text?.zh ?? fallback;
const dept = (d: ReportDepartment): string => zh(d.name, d.code);
const period = (from: string, to: string): string => `${from} 至 ${to}`;
// The catalogue's titles carry their own 《》 (rules/instruments.json): printed as they are, bracketed only if one lacks them.
const titled = (title: string): string => (title.startsWith('《') ? title : `《${title}》`);
/** One cited article. A decision recorded before the instrument catalogue may hold its basis as a bare string: printed as it is. */
const basisLine = (b: RecordedLegalBasis | string): string => {
  if (typeof b === 'string') return b;
  if (!b.instrument) return typeof b.article === 'string' ? b.article : NONE;
  return `${titled(b.instrument.title)}${b.instrument.documentNumber ? `（${b.instrument.documentNumber}）` : ''}${b.article}`;
};
const basisText = (basis: readonly (RecordedLegalBasis | string)[]): string => (basis.length === 0 ? NONE : basis.map(basisLine).join('；'));

function listItem(entry: ReportListEntry): OutlineItem {
  return {
    heading: `${zh(entry.list.name, entry.list.code)}（${LIST_TYPES[entry.list.type] ?? entry.list.type}）${entry.disputed ? '【异议处理中】' : ''}`,
    fields: [
      ['认定部门', dept(entry.identifyingDepartment)],
      ['认定文书号', entry.documentNumber],
      ['有效期', period(entry.validFrom, entry.validTo)],
      ['认定事由', entry.reason ?? NONE],
      ['依据', `${entry.memorandum.title ? `《${entry.memorandum.title.zh}》` : entry.memorandum.id}${entry.memorandum.documentNumber ? `（${entry.memorandum.documentNumber}）` : ''}`],
    ],
  };
}

/** Lays the report out; `contentHash` is the model's (contentSha256), printed at the foot. */
export function reportOutline(report: CreditReport, contentHash: string = contentSha256(report)): ReportOutline {
  const { subject } = report;
  return {
    title: '公共信用信息报告',
    subtitle: `（${report.use.name.zh}专用版）`,
    header: [
      ['报告编号', report.number],
      ['签发时间', `${report.issuedAt.replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`],
      ['信息截止日期', report.asOf],
      ['报告用途', report.use.name.zh],
      ['查询事由', report.purpose],
      ['签发单位', dept(report.issuingDepartment)],
    ],
    sections: [
      {
        title: '一、主体身份信息',
        empty: NONE,
        items: [
          {
            heading: subject.name ?? '（记录中未载明名称）',
            fields: [
              ['证件类型', ID_TYPES[subject.idType] ?? subject.idType],
              ['证件号码', subject.id],
              ['主体类别', subject.kind ? (KINDS[subject.kind] ?? subject.kind) : '未载明'],
            ],
          },
        ],
      },
      {
        title: '二、信用分类',
        empty: '无适用的信用分类模型',
        items: report.creditClasses.map((c) => ({
          heading: `${c.model.title.zh}：${c.label.zh}`,
          fields: [
            ['说明', c.explanation.zh],
            ['分类依据', c.basis === 'rule' ? `规则 ${c.rule?.description.zh ?? c.rule?.name ?? ''}` : c.basis === 'otherwise' ? '有记录，未命中规则' : '无记录，默认类别'],
            ['分类起始', c.since ? c.since.slice(0, 10) : NONE],
            ['模型', `${c.model.id} ${c.model.version}（${dept({ code: c.model.owner, name: null })}）`],
          ],
        })),
      },
      { title: '三、失信及重点关注名单', empty: NONE, items: report.listMemberships.map(listItem) },
      {
        title: '四、在实施的惩戒与激励措施',
        empty: NONE,
        items: report.measures.map((m) => ({
          heading: `${m.code} ${m.text.zh}${m.disputed ? '【异议处理中】' : ''}`,
          fields: [
            ['实施部门', dept(m.implementingDepartment)],
            ['适用对象', m.via ? `${ROLES[m.targetRole] ?? m.targetRole}（${m.via.subjectName}）` : (ROLES[m.targetRole] ?? m.targetRole)],
            ['有效期', period(m.validFrom, m.validTo)],
            ['备忘录文号', m.memorandum.documentNumber ?? m.memorandum.id],
            ['法律依据', basisText(m.legalBasis)],
          ],
        })),
      },
      {
        title: '五、行政处罚信息（公示期内）',
        empty: NONE,
        items: report.penalties.map((p) => ({
          heading: `${p.documentNumber}${p.disputed ? '【异议处理中】' : ''}`,
          fields: [
            ['处罚机关', dept(p.department)],
            ['处罚类别', p.penaltyType],
            ['失信程度', SEVERITIES[p.severity] ?? p.severity],
            ['处罚事由', p.reason],
            ['决定日期', p.decidedOn],
            ['罚款金额', p.fineAmountYuan === null ? NONE : `${p.fineAmountYuan} 元`],
            ['公示截止', p.publicUntil],
            ['法律依据', basisText(p.legalBasis)],
          ],
        })),
      },
      { title: '六、守信激励（红名单）', empty: NONE, items: report.commendations.map(listItem) },
      {
        title: '七、信用承诺及履约情况',
        empty: NONE,
        items: [
          { heading: '履约统计', fields: [['履约期内', String(report.commitments.record.open)], ['已履约', String(report.commitments.record.kept)], ['未履约', String(report.commitments.record.broken)]] },
          ...report.commitments.items.map((c): OutlineItem => ({
            heading: `${c.approvalItem.name}：${COMMITMENT_STATES[c.state]}`,
            fields: [
              ['承诺受理部门', dept(c.department)],
              ['承诺编号', c.reference],
              ['承诺内容', c.promise],
              ['承诺期限', c.dueOn],
              ['审批文号', `${c.approval.reference}（${c.approval.grantedOn}）`],
              ...(c.closedOn ? [['办结日期', c.closedOn] as [string, string]] : []),
              ...(c.breachKind ? [['违诺情形', BREACH_KINDS[c.breachKind]] as [string, string]] : []),
              ...(c.evidenceReference ? [['履约凭证', c.evidenceReference] as [string, string]] : []),
            ],
          })),
        ],
      },
      {
        title: '八、行业自律惩戒',
        empty: NONE,
        items: report.selfDiscipline.sanctions.map((s) => ({
          heading: `${SANCTIONS[s.sanction]}（${dept(s.association)}）`,
          fields: [
            ['行业', s.industry],
            ['文书号', s.documentNumber],
            ['决定日期', s.decidedOn],
            ['公示截止', s.publicUntil],
            ['事由', s.reason],
          ],
        })),
      },
      {
        title: '九、异议与信用修复',
        empty: NONE,
        items: report.objectionsAndRepairs.map((o) => ({
          heading: `${LIFECYCLE[o.kind]}（${dept(o.department)}）`,
          fields: [
            ['文书号', o.documentNumber],
            ['决定日期', o.decidedOn],
            ['涉及记录', o.target.listCode ?? o.target.penaltyDocumentNumber ?? o.target.decisionId ?? NONE],
            ...(o.resolution ? [['处理结果', RESOLUTIONS[o.resolution]] as [string, string]] : []),
            ['处理状态', o.effect ? EFFECTS[o.effect] : '处理中'],
          ],
        })),
      },
    ],
    footer: [
      `验证方式：访问 ${report.verification.url}?code=校验码，核对报告编号 ${report.number} 及随本报告提供的 ${CODE_LENGTH} 位校验码；验证结果给出本报告 PDF 与 HTML 文件的 SHA-256 摘要，可与所收文件的摘要比对。`,
      `内容摘要（SHA-256）：${contentHash}`,
      '本报告依据签发时各部门归集的公共信用信息生成，仅供上述用途使用。五年前已结束的失信信息不予载明。',
    ],
  };
}

/** Every word the outline may print from its fixed vocabularies, whichever value a report has. */
export const OUTLINE_VOCABULARY = [ID_TYPES, KINDS, LIST_TYPES, SEVERITIES, SANCTIONS, COMMITMENT_STATES, BREACH_KINDS, ROLES, LIFECYCLE, RESOLUTIONS, EFFECTS]
  .flatMap((words) => Object.values(words))
  .concat(NONE, '（记录中未载明名称）', '未载明', '无适用的信用分类模型', '有记录，未命中规则', '无记录，默认类别', '处理中', '元', '规则')
  .join('');

/** Every text the outline holds, for a font check: the characters a rendering must draw. */
export function outlineText(outline: ReportOutline): string {
  return [outline.title, outline.subtitle, ...outline.header.flat(), ...outline.sections.flatMap((s) => [s.title, s.empty, ...s.items.flatMap((i) => [i.heading, ...i.fields.flat()])]), ...outline.footer].join('\n');
}
