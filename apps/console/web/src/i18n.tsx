import { createContext, ReactNode, useContext, useEffect, useMemo, useState } from 'react';

export type Language = 'zh' | 'en';

/** Chinese first: every text is written in Chinese, and English beside it; a missing key fails the typecheck. */
const zh = {
  appName: '联合奖惩政策工作台',
  signIn: '登录',
  signOut: '退出',
  name: '用户名',
  password: '密码',
  badCredentials: '用户名或密码错误',
  tooManyAttempts: '错误次数过多，请稍后再试',
  memoranda: '合作备忘录',
  overview: '全区概览',
  switchLanguage: 'English',
  documentNumber: '文号',
  version: '版本',
  validFrom: '施行日期',
  kind: '类型',
  sanction: '失信联合惩戒',
  incentive: '守信联合激励',
  list: '名单',
  listType: '名单类型',
  identifyingDepartment: '认定部门',
  terms: '期限',
  defaultTerm: '默认期限（天）',
  maxTerm: '最长期限（天）',
  escalation: '升级规则',
  repair: '信用修复',
  repairAllowed: '允许修复',
  repairNotAllowed: '不允许修复',
  minimumDays: '最短公示（天）',
  limitation: '追溯时限（年）',
  measures: '措施',
  code: '编号',
  text: '措施内容',
  category: '类别',
  implementing: '实施部门',
  cooperating: '配合部门',
  targets: '对象',
  severity: '严重程度',
  legalBasis: '法律依据',
  rules: '规则',
  ruleCases: '规则用例',
  note: '说明',
  result: '结果',
  passed: '通过',
  failed: '未通过',
  measureCount: '措施数',
  ruleCount: '规则数',
  loading: '加载中…',
  department: '部门',
  onTimeRate: '按时发布率',
  feedbackRate: '反馈率',
  medianFeedback: '反馈用时中位数（工作日）',
  overdue: '逾期任务',
  events: '发布事件数',
  tasks: '收到任务数',
  performance: '部门绩效',
  period: '统计期间',
  decisionsPerDay: '每日决定数（按备忘录）',
  listSizes: '名单规模（在册）',
  noDecisions: '期间内没有决定',
  roles: '角色',
  openDraft: '以草稿打开',
  basedOnRelease: '基于发布版本',
  basedOnRulesDir: '基于 rules/ 目录',
  draftBaseChanged: '打开此草稿后，施行中的规则集已变更：提交时以新的规则集为基础，此文件中新版本的改动会被本草稿覆盖。请重新打开草稿。现为：',
  backToMemorandum: '返回备忘录',
  draftOf: '草稿：',
  draftNotSaved: '草稿尚未保存为发布版本：草稿只保存在本浏览器标签页中，关闭即丢失。“提交审批”将其提交为发布草稿，须由作者以外的审批人批准后生效。检查与用例均在服务器上按引擎的规则进行，不改动正在施行的规则。',
  renderedView: '按草稿呈现',
  renderedStale: '草稿有错误：下面是上一次可被接受的文本的呈现。',
  renderedPending: '草稿通过检查后在此呈现。',
  releaseNotes: '修改说明（供审批人）',
  submitDraft: '提交审批',
  submitting: '提交中…',
  submittedAs: '已提交为发布版本',
  awaitingApproval: '草稿，待审批',
  seeReleases: '在发布页查看',
  whatIfWithDraft: '用此草稿进行假设分析',
  checkResult: '检查结果',
  checking: '检查中…',
  noErrors: '没有错误',
  acceptedWithWarnings: '没有错误，有警告',
  refused: '引擎将拒绝此规则集',
  valueWritten: '所写的值',
  didYouMean: '是否应为',
  runCases: '运行规则用例',
  casesNotRun: '规则集被拒绝，用例未运行：请先改正错误',
  whatIf: '影响模拟',
} as const;

type Messages = { readonly [K in keyof typeof zh]: string };

const en: Messages = {
  appName: 'Joint reward-and-punishment policy console',
  signIn: 'Sign in',
  signOut: 'Sign out',
  name: 'User name',
  password: 'Password',
  badCredentials: 'Wrong user name or password',
  tooManyAttempts: 'Too many wrong passwords; try again later',
  memoranda: 'Memoranda',
  overview: 'District at a glance',
  switchLanguage: '中文',
  documentNumber: 'Document number',
  version: 'Version',
  validFrom: 'In force from',
  kind: 'Kind',
  sanction: 'Joint sanctions',
  incentive: 'Joint incentives',
  list: 'List',
  listType: 'List type',
  identifyingDepartment: 'Identifying department',
  terms: 'Terms',
  defaultTerm: 'Default term (days)',
  maxTerm: 'Longest term (days)',
  escalation: 'Escalation',
  repair: 'Credit repair',
  repairAllowed: 'Repair allowed',
  repairNotAllowed: 'Repair not allowed',
  minimumDays: 'Minimum days listed',
  limitation: 'Limitation (years)',
  measures: 'Measures',
  code: 'Code',
  text: 'Measure',
  category: 'Category',
  implementing: 'Implementing department',
  cooperating: 'Cooperating departments',
  targets: 'Targets',
  severity: 'Severity',
  legalBasis: 'Legal basis',
  rules: 'Rules',
  ruleCases: 'Rule cases',
  note: 'Note',
  result: 'Result',
  passed: 'passed',
  failed: 'failed',
  measureCount: 'Measures',
  ruleCount: 'Rules',
  loading: 'Loading…',
  department: 'Department',
  onTimeRate: 'Published on time',
  feedbackRate: 'Feedback rate',
  medianFeedback: 'Median time to feedback (working days)',
  overdue: 'Overdue tasks',
  events: 'Events published',
  tasks: 'Tasks received',
  performance: 'Department performance',
  period: 'Period',
  decisionsPerDay: 'Decisions a day, per memorandum',
  listSizes: 'List sizes (in force)',
  noDecisions: 'No decisions in the period',
  roles: 'Roles',
  openDraft: 'Open as a draft',
  basedOnRelease: 'Based on release',
  basedOnRulesDir: 'Based on the rules/ directory',
  draftBaseChanged: 'The rule set in force changed after this draft was opened: a submission starts from the new one, and this draft would overwrite its changes to this file. Reopen the draft. Now:',
  backToMemorandum: 'Back to the memorandum',
  draftOf: 'Draft:',
  draftNotSaved: 'The draft is not saved as a release yet: it is kept in this browser tab only and lost when the tab closes. “Submit for approval” submits it as a release draft, which an approver other than its author approves. Checks and cases run on the server with the engine’s rules and change nothing in force.',
  renderedView: 'As the draft reads',
  renderedStale: 'The draft has errors: below is its last accepted text, rendered.',
  renderedPending: 'The draft is rendered here once it passes the check.',
  releaseNotes: 'Notes (for the approver)',
  submitDraft: 'Submit for approval',
  submitting: 'Submitting…',
  submittedAs: 'Submitted as release version',
  awaitingApproval: 'a draft awaiting approval',
  seeReleases: 'See it on the Releases page',
  whatIfWithDraft: 'What-if with this draft',
  checkResult: 'Check',
  checking: 'Checking…',
  noErrors: 'No errors',
  acceptedWithWarnings: 'No errors, some warnings',
  refused: 'The engine would refuse this rule set',
  valueWritten: 'Written',
  didYouMean: 'Did you mean',
  runCases: 'Run the rule cases',
  casesNotRun: 'The rule set is refused, so the cases did not run: fix the errors first',
  whatIf: 'What-if',
};

const MESSAGES: Record<Language, Messages> = { zh, en };
const STORAGE_KEY = 'console.language';

interface LanguageContext {
  language: Language;
  t: Messages;
  /** The text of a bilingual value in the page's language. */
  pick: (text: { zh: string; en: string }) => string;
  toggle: () => void;
}

const Context = createContext<LanguageContext | null>(null);

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh'));
  useEffect(() => {
    // zh-CN, not zh: without the region Chromium draws Chinese with the Japanese Noto face.
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
    document.title = MESSAGES[language].appName;
    localStorage.setItem(STORAGE_KEY, language);
  }, [language]);
  const value = useMemo<LanguageContext>(
    () => ({ language, t: MESSAGES[language], pick: (text) => text[language] || text.zh, toggle: () => setLanguage((l) => (l === 'zh' ? 'en' : 'zh')) }),
    [language],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useLanguage(): LanguageContext {
  const context = useContext(Context);
  if (!context) throw new Error('useLanguage outside LanguageProvider');
  return context;
}
