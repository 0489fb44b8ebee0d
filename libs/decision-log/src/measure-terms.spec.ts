import { createHash } from 'node:crypto';
import type { RecordedLegalBasis } from '@app/rules';
import { isMeasureTermsRef, measureTermsOf, TermsSource } from './measure-terms';

const basis: RecordedLegalBasis = {
  instrument: { id: 'government-procurement-law', title: '《中华人民共和国政府采购法》', documentNumber: null, level: 'law', version: '2014年修正' },
  article: '第二十二条第一款第（五）项',
};
const task: TermsSource = { measureCode: 'TX-04', category: 'restrict', text: { zh: '限制参加政府采购活动', en: 'Restrict participation in government procurement' }, legalBasis: [basis] };
const memorandum = { id: 'major-tax-violators', version: '1.0.0', kind: 'sanction' as const, documentNumber: '发改财金〔2016〕2798号', title: { zh: '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录', en: 'Memorandum on joint sanctions against parties to major tax violation cases' } };

describe('measure terms', () => {
  it('are referenced by the SHA-256 of their canonical text, which is what is served', () => {
    const { ref, canonical, terms } = measureTermsOf(task, memorandum);
    expect(isMeasureTermsRef(ref)).toBe(true);
    expect(ref).toBe(`mt-${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`);
    expect(JSON.parse(canonical)).toEqual(terms);
    expect(terms).toEqual({ memorandum, code: 'TX-04', category: 'restrict', text: task.text, legalBasis: [basis] });
  });

  it('give the same text whatever order the source had its keys in (as read back from jsonb)', () => {
    const reordered: TermsSource = {
      legalBasis: [{ article: basis.article, instrument: { version: basis.instrument.version, level: 'law', documentNumber: null, title: basis.instrument.title, id: basis.instrument.id } }],
      text: { en: task.text.en, zh: task.text.zh },
      category: 'restrict',
      measureCode: 'TX-04',
    };
    const { title, documentNumber, kind, version, id } = memorandum;
    expect(measureTermsOf(reordered, { title, documentNumber, kind, version, id }).canonical).toBe(measureTermsOf(task, memorandum).canonical);
  });

  it('differ when the wording, the basis, the instrument version or the memorandum version differs', () => {
    const base = measureTermsOf(task, memorandum).ref;
    const refs = [
      measureTermsOf({ ...task, text: { ...task.text, zh: task.text.zh + '。' } }, memorandum).ref,
      measureTermsOf({ ...task, legalBasis: [{ ...basis, article: '第二十二条' }] }, memorandum).ref,
      measureTermsOf({ ...task, legalBasis: [{ ...basis, instrument: { ...basis.instrument, version: '2002年' } }] }, memorandum).ref,
      measureTermsOf(task, { ...memorandum, version: '1.1.0' }).ref,
    ];
    expect(new Set([base, ...refs]).size).toBe(5);
  });

  it('tell a reference from anything else', () => {
    expect(isMeasureTermsRef('mt-0123456789abcdef0123456789abcdef')).toBe(true);
    for (const bad of ['mt-0123456789ABCDEF0123456789abcdef', 'mt-0123', 'x-0123456789abcdef0123456789abcdef', "mt-0123456789abcdef0123456789abcdef'", '']) expect(isMeasureTermsRef(bad)).toBe(false);
  });
});
