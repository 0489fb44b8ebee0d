import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Legal bases written before the instrument catalogue cited instruments by their title as text
 * (`{ instrument: "《…》（…号）", article }`). Each becomes the catalogued instrument it named, in the
 * form decisions record now (`{ instrument: { id, title, documentNumber, level, version }, article }`).
 * The table is the catalogue as it stood when the rule files were converted (rules/instruments.json),
 * with the version each old citation itself named: a migration keeps the mapping it was written
 * with. A title it does not know is left as it was.
 */
const CONVERTED: [title: string, instrument: { id: string; title: string; documentNumber: string | null; level: string; version: string }][] = [
  ["《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》（发改财金〔2016〕1467号）", {"id": "a-grade-taxpayers-joint-incentives-memorandum", "title": "《关于对纳税信用A级纳税人实施联合激励措施的合作备忘录》", "documentNumber": "发改财金〔2016〕1467号", "level": "central-normative-document", "version": "2016年印发"}],
  ["《中华人民共和国公务员法》（2018年修订）", {"id": "civil-servant-law", "title": "《中华人民共和国公务员法》", "documentNumber": null, "level": "law", "version": "2018年修订"}],
  ["《中华人民共和国公司法》（2023年修订）", {"id": "company-law", "title": "《中华人民共和国公司法》", "documentNumber": null, "level": "law", "version": "2023年修订"}],
  ["《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》（中办发〔2016〕64号）", {"id": "dishonest-judgment-debtor-credit-supervision-opinions", "title": "《关于加快推进失信被执行人信用监督、警示和惩戒机制建设的意见》", "documentNumber": "中办发〔2016〕64号", "level": "central-normative-document", "version": "2016年印发"}],
  // These decisions relied on the 2014 text the citation names, not on the 2024 revision the catalogue now holds.
  ["《企业信息公示暂行条例》（2014年国务院令第654号公布文本）", {"id": "enterprise-information-disclosure-regulation", "title": "《企业信息公示暂行条例》", "documentNumber": "国务院令第654号", "level": "administrative-regulation", "version": "2014年公布文本"}],
  ["《关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录》（发改财金〔2016〕1580号）", {"id": "environmental-dishonesty-joint-sanctions-memorandum", "title": "《关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录》", "documentNumber": "发改财金〔2016〕1580号", "level": "central-normative-document", "version": "2016年印发"}],
  ["《中华人民共和国环境保护法》（2014年修订）", {"id": "environmental-protection-law", "title": "《中华人民共和国环境保护法》", "documentNumber": null, "level": "law", "version": "2014年修订"}],
  ["《中华人民共和国政府采购法》", {"id": "government-procurement-law", "title": "《中华人民共和国政府采购法》", "documentNumber": null, "level": "law", "version": "2014年修正"}],
  ["《中华人民共和国政府采购法实施条例》", {"id": "government-procurement-law-implementing-regulation", "title": "《中华人民共和国政府采购法实施条例》", "documentNumber": "国务院令第658号", "level": "administrative-regulation", "version": "2015年公布"}],
  ["《关于对失信被执行人实施联合惩戒的合作备忘录》（发改财金〔2016〕141号）", {"id": "judgment-debtors-joint-sanctions-memorandum", "title": "《关于对失信被执行人实施联合惩戒的合作备忘录》", "documentNumber": "发改财金〔2016〕141号", "level": "central-normative-document", "version": "2016年印发"}],
  ["《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》（发改财金〔2014〕3062号）", {"id": "major-tax-violators-joint-sanctions-memorandum", "title": "《关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录》", "documentNumber": "发改财金〔2014〕3062号", "level": "central-normative-document", "version": "2014年印发"}],
  ["《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）", {"id": "market-regulation-serious-dishonesty-list-measures", "title": "《市场监督管理严重违法失信名单管理办法》", "documentNumber": "国家市场监督管理总局令第44号", "level": "departmental-rule", "version": "2021年公布"}],
  ["《保障农民工工资支付条例》（国务院令第724号）", {"id": "migrant-worker-wage-payment-regulation", "title": "《保障农民工工资支付条例》", "documentNumber": "国务院令第724号", "level": "administrative-regulation", "version": "2019年公布"}],
  ["《国务院关于印发社会信用体系建设规划纲要（2014—2020年）的通知》（国发〔2014〕21号）", {"id": "social-credit-system-construction-plan-2014-2020", "title": "《国务院关于印发社会信用体系建设规划纲要（2014—2020年）的通知》", "documentNumber": "国发〔2014〕21号", "level": "central-normative-document", "version": "2014年印发"}],
  ["《最高人民法院关于公布失信被执行人名单信息的若干规定》（2017年修正）", {"id": "spc-dishonest-judgment-debtor-list-provisions", "title": "《最高人民法院关于公布失信被执行人名单信息的若干规定》", "documentNumber": "法释〔2017〕7号", "level": "judicial-interpretation", "version": "2017年修正"}],
  ["《最高人民法院关于限制被执行人高消费及有关消费的若干规定》（2015年修正）", {"id": "spc-high-consumption-restriction-provisions", "title": "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》", "documentNumber": "法释〔2015〕17号", "level": "judicial-interpretation", "version": "2015年修正"}],
  ["《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）", {"id": "state-council-credit-based-supervision-opinions", "title": "《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》", "documentNumber": "国办发〔2019〕35号", "level": "central-normative-document", "version": "2019年印发"}],
  ["《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）", {"id": "state-council-joint-incentives-and-sanctions-opinions", "title": "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》", "documentNumber": "国发〔2016〕33号", "level": "central-normative-document", "version": "2016年印发"}],
  ["《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》（国办发〔2020〕42号）", {"id": "state-council-notification-and-commitment-opinions", "title": "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》", "documentNumber": "国办发〔2020〕42号", "level": "central-normative-document", "version": "2020年印发"}],
  ["《中华人民共和国税收征收管理法》", {"id": "tax-collection-administration-law", "title": "《中华人民共和国税收征收管理法》", "documentNumber": null, "level": "law", "version": "2015年修正"}],
  ["《中华人民共和国税收征收管理法实施细则》", {"id": "tax-collection-administration-law-implementing-rules", "title": "《中华人民共和国税收征收管理法实施细则》", "documentNumber": "国务院令第362号", "level": "administrative-regulation", "version": "2016年修订"}],
  ["《纳税信用管理办法（试行）》（国家税务总局公告2014年第40号）", {"id": "tax-credit-management-measures", "title": "《纳税信用管理办法（试行）》", "documentNumber": "国家税务总局公告2014年第40号", "level": "central-normative-document", "version": "2014年发布"}],
];

export class LegalBasisByInstrument1764720000000 implements MigrationInterface {
  name = 'LegalBasisByInstrument1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE measure_task t SET legal_basis = (
         SELECT jsonb_agg(CASE WHEN c.instrument IS NULL THEN b ELSE jsonb_build_object('instrument', c.instrument, 'article', b->'article') END ORDER BY n)
         FROM jsonb_array_elements(t.legal_basis) WITH ORDINALITY AS x(b, n)
         LEFT JOIN jsonb_to_recordset($1::jsonb) AS c(title text, instrument jsonb) ON c.title = b->>'instrument')
       WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(t.legal_basis) b WHERE jsonb_typeof(b->'instrument') = 'string')`,
      [JSON.stringify(CONVERTED.map(([title, instrument]) => ({ title, instrument })))],
    );
  }

  async down(): Promise<void> {
    // The titles are kept in the catalogue; nothing is lost by leaving the converted form in place.
  }
}
