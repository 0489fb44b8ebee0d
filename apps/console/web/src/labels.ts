/** Names of the rule files' codes (categories, targets, severities, list types, instrument levels) in both languages. */
type Names = Readonly<Record<string, { zh: string; en: string }>>;

export const CATEGORY: Names = {
  restrict: { zh: '限制', en: 'restrict' },
  deny: { zh: '禁止', en: 'deny' },
  'key-supervision': { zh: '重点监管', en: 'key supervision' },
  'grade-downgrade': { zh: '降级', en: 'grade downgrade' },
  publicity: { zh: '公示', en: 'publicity' },
  'green-channel': { zh: '绿色通道', en: 'green channel' },
  'accept-missing-materials': { zh: '容缺受理', en: 'accept with missing materials' },
  priority: { zh: '优先', en: 'priority' },
  'simplified-procedure': { zh: '简化程序', en: 'simplified procedure' },
  'fewer-inspections': { zh: '减少检查', en: 'fewer inspections' },
  commendation: { zh: '表扬', en: 'commendation' },
};

export const TARGET: Names = {
  subject: { zh: '主体', en: 'subject' },
  'legal-representative': { zh: '法定代表人', en: 'legal representative' },
  'responsible-manager': { zh: '主要负责人', en: 'responsible manager' },
  'actual-controller': { zh: '实际控制人', en: 'actual controller' },
};

export const SEVERITY: Names = {
  serious: { zh: '严重', en: 'serious' },
  general: { zh: '一般及以上', en: 'general or worse' },
  any: { zh: '不限', en: 'any' },
};

export const LIST_TYPE: Names = {
  black: { zh: '黑名单', en: 'blacklist' },
  red: { zh: '红名单', en: 'red list' },
  'key-attention': { zh: '重点关注名单', en: 'key-attention list' },
};

export const LEVEL: Names = {
  law: { zh: '法律', en: 'law' },
  'administrative-regulation': { zh: '行政法规', en: 'administrative regulation' },
  'judicial-interpretation': { zh: '司法解释', en: 'judicial interpretation' },
  'departmental-rule': { zh: '部门规章', en: 'departmental rule' },
  'central-normative-document': { zh: '中央规范性文件', en: 'central normative document' },
  'local-normative-document': { zh: '地方规范性文件', en: 'local normative document' },
};

export const ROLE: Names = {
  'policy-editor': { zh: '政策编辑', en: 'policy editor' },
  'policy-approver': { zh: '政策审批', en: 'policy approver' },
  'credit-office': { zh: '信用办', en: 'credit office' },
  auditor: { zh: '审计', en: 'auditor' },
};

export function nameOf(names: Names, code: string, language: 'zh' | 'en'): string {
  return names[code]?.[language] ?? code;
}
