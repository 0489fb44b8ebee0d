/** The endpoints whose answers are logged in query_audit (its `endpoint` column): one closed set for the services that log and the statements that count them. */
export const AUDITED_ENDPOINTS = {
  creditCheck: 'GET /v1/subjects/:id/check',
  applicantReview: 'GET /v1/subjects/:id/applicant-review',
  feed: 'GET /v1/feed',
  taskList: 'GET /v1/tasks',
  taskDetail: 'GET /v1/tasks/:taskId',
  auditLog: 'GET /v1/audit/queries',
  deadLetter: 'GET /v1/dead-letters/:id',
  commitment: 'GET /v1/commitments/:id',
  commitmentCorrection: 'POST /v1/commitments/:id/correction',
  supervisionSampleDraw: 'POST /v1/supervision/samples',
  supervisionSample: 'GET /v1/supervision/samples/:id',
  reportIssue: 'POST /v1/reports',
  reportPdf: 'GET /v1/reports/:number.pdf',
  reportHtml: 'GET /v1/reports/:number.html',
} as const;
export type AuditedEndpoint = (typeof AUDITED_ENDPOINTS)[keyof typeof AUDITED_ENDPOINTS];
