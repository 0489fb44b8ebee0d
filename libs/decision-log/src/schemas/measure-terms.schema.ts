import { INSTRUMENT_LEVELS, RecordedLegalBasis } from '@app/rules';
import type { MeasureTerms } from '../measure-terms';
import { MEASURE_CATEGORY } from './decision-issued.schema';
import { closed, CODE, MEASURE_CODE, nonEmpty } from './schema-parts';

/**
 * JSON Schema of measure terms (MeasureTerms), what `GET /v1/measure-terms/{ref}` returns for the
 * `terms` reference of a measure in a decision.issued record. Closed like the record schemas.
 */

const bilingualText = (description: string) =>
  closed<{ zh: string; en: string }>()(['zh', 'en'], { zh: nonEmpty('Authoritative Chinese text.'), en: nonEmpty('English text for integrators.') }, description);

const legalBasis = closed<RecordedLegalBasis>()(
  ['instrument', 'article'],
  {
    instrument: closed<RecordedLegalBasis['instrument']>()(
      ['id', 'title', 'documentNumber', 'level', 'version'],
      {
        id: { type: 'string', pattern: CODE, description: 'Id of the instrument in the published catalogue (rules/instruments.json).' },
        title: nonEmpty('Official Chinese title, e.g. 《中华人民共和国政府采购法》.'),
        documentNumber: { type: ['string', 'null'], minLength: 1, description: 'Document number (文号), e.g. 国发〔2016〕33号; null for a law, which is cited by its title.' },
        level: { type: 'string', enum: [...INSTRUMENT_LEVELS], description: 'law = 法律, administrative-regulation = 行政法规, judicial-interpretation = 司法解释, departmental-rule = 部门规章, central-normative-document / local-normative-document = 中央 / 地方规范性文件.' },
        version: nonEmpty('The version relied on, e.g. 2014年修正.'),
      },
      'The catalogued instrument, in the version in force on the day of the decision.',
    ),
    article: nonEmpty('Article (条) or clause relied on.'),
  },
  'A citation in force on the day of the decision: an instrument repealed by then is left out, and a measure left with none is not decided.',
);

export const MEASURE_TERMS_SCHEMA = closed<MeasureTerms>()(
  ['memorandum', 'code', 'category', 'text', 'legalBasis'],
  {
    memorandum: closed<MeasureTerms['memorandum']>()(
      ['id', 'version'],
      {
        id: { type: 'string', pattern: CODE, description: 'The cooperation memorandum (合作备忘录); its rule file is rules/<id>.json.' },
        version: nonEmpty(),
        kind: { type: 'string', enum: ['sanction', 'incentive'], description: 'sanction = 失信联合惩戒; incentive = 守信联合激励.' },
        documentNumber: nonEmpty('Document number (文号) of the memorandum.'),
        title: bilingualText('Title of the memorandum.'),
      },
      'The memorandum as the rule set gave it on the decision day; kind, documentNumber and title are absent only if it had left the rule set by then.',
    ),
    code: { type: 'string', pattern: MEASURE_CODE, description: 'Memorandum prefix and measure number, e.g. JD-03.' },
    category: MEASURE_CATEGORY,
    text: bilingualText('The measure as the memorandum words it.'),
    legalBasis: { type: 'array', minItems: 1, items: legalBasis },
  },
  'What a measure says and rests on, as decided on one day: the same for every target and every decision of that memorandum version, measure and legal basis.',
);
