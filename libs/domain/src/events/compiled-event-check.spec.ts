import { IsEmail, IsOptional, IsString } from 'class-validator';
import { assertEveryConstraintExact, compileCreditEventCheck } from './compiled-event-check';
import { EventValidationError } from './event-validation.errors';
import { EventType } from './event-types';
import { parseCreditEvent, parseCreditEventFast } from './parse-credit-event';

/**
 * The places where a JSON Schema keyword and the class-validator constraint it stands for part,
 * each checked both ways: the compiled check decides as class-validator does, and the fast
 * parse answers as the reference. The seeded differential test is test/differential.
 */

const subject = { kind: 'enterprise', idType: 'USCC', id: '91350200776049653A', name: '某公司' };
const envelope = { specversion: '1.0', id: 'e-1', source: '/departments/tax', subject: subject.id, time: '2026-11-20T08:00:00Z' };
const penalty = (data: Record<string, unknown> = {}, attributes: Record<string, unknown> = {}) => ({
  ...envelope,
  type: 'credit.penalty.imposed.v1',
  ...attributes,
  data: { subject, documentNumber: '税罚〔2026〕1号', decidedOn: '2026-11-19', severity: 'serious', penaltyType: 'fine', reason: 'tax-evasion', ...data },
});
const repair = (target: Record<string, unknown>) => ({ ...envelope, type: 'credit.repair.approved.v1', data: { subject, documentNumber: 'R-1', decidedOn: '2026-11-20', ...target } });
const rating = (data: Record<string, unknown>) => ({ ...envelope, type: 'credit.rating.assigned.v1', data: { subject, documentNumber: 'T-1', decidedOn: '2026-11-20', scheme: 'tax-credit', grade: 'A', ratingYear: 2025, ...data } });

const check = compileCreditEventCheck();

function answer(parse: (value: unknown) => unknown, value: unknown): unknown {
  try {
    return parse(value);
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return { code: error.code, message: error.message, violations: error.violations };
  }
}

/** 'accepted' or the reference's code, after checking that the compiled check and the fast parse agree with it. */
function verdict(value: { type: string }): string {
  const reference = answer(parseCreditEvent, value);
  expect(answer(parseCreditEventFast, value)).toStrictEqual(reference);
  const accepted = !(reference as { code?: string }).code;
  expect(check(value as unknown as Record<string, unknown>, value.type as EventType)).toBe(accepted);
  return accepted ? 'accepted' : (reference as { code: string }).code;
}

class WithAnEmail {
  @IsOptional()
  @IsString()
  @IsEmail()
  contact?: string;
}

describe('compileCreditEventCheck', () => {
  it('refuses to compile a constraint it has no exact form for, rather than check it approximately', () => {
    expect(() => assertEveryConstraintExact([WithAnEmail])).toThrow('WithAnEmail.contact: constraint isEmail has no exact compiled form');
  });

  it('counts lengths as validator.js does: a character with its variation selector is one', () => {
    expect(verdict(penalty({ subject: { ...subject, name: '信\uFE0F'.repeat(200) } }))).toBe('accepted');
    expect(verdict(penalty({ subject: { ...subject, name: '信\uFE0F'.repeat(201) } }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(penalty({ subject: { ...subject, name: '𝒜'.repeat(200) } }))).toBe('accepted');
    expect(verdict(penalty({ subject: { ...subject, name: '' } }))).toBe('EVENT.SCHEMA_VIOLATION');
  });

  it('skips an optional property that is null, as class-validator does, but not a required one', () => {
    expect(verdict(penalty({ fineAmountYuan: null, conductEndedOn: null, relatedPersons: null }, { datacontenttype: null }))).toBe('accepted');
    expect(verdict(penalty({ reason: null }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(repair({ listCode: 'judgment-debtor', penaltyDocumentNumber: null }))).toBe('accepted');
    expect(verdict(repair({ listCode: null, penaltyDocumentNumber: '广环罚〔2026〕7号' }))).toBe('EVENT.SCHEMA_VIOLATION');
  });

  it('asks a removal or repair for exactly one target, the first of them included', () => {
    expect(verdict(repair({ decisionId: '752f2414-49f5-84d5-8a03-6584d9a51939' }))).toBe('accepted');
    expect(verdict(repair({}))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(repair({ listCode: 'judgment-debtor', decisionId: '752f2414-49f5-84d5-8a03-6584d9a51939' }))).toBe('EVENT.SCHEMA_VIOLATION');
  });

  it('takes UUIDs, timestamps, calendar days and numbers as class-validator does', () => {
    expect(verdict(repair({ decisionId: 'urn:uuid:752f2414-49f5-84d5-8a03-6584d9a51939' }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(penalty({}, { time: '2026-11-20T08:00:00.123+08:00' }))).toBe('accepted');
    // validator.js's ISO 8601 takes a space for the T, as RFC 3339 allows.
    expect(verdict(penalty({}, { time: '2026-11-20 08:00:00Z' }))).toBe('accepted');
    expect(verdict(penalty({}, { time: '2026-11-20T25:00:00Z' }))).toBe('EVENT.NOT_CLOUDEVENT');
    expect(verdict(penalty({}, { time: '2026-02-30T08:00:00Z' }))).toBe('EVENT.NOT_CLOUDEVENT');
    expect(verdict(penalty({ decidedOn: '0050-01-01' }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(penalty({ decidedOn: '2024-02-29' }))).toBe('accepted');
    expect(verdict(penalty({ decidedOn: '2023-02-29' }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(rating({ ratingYear: 2000.5 }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(rating({ ratingYear: 2100 }))).toBe('accepted');
    expect(verdict(rating({ ratingYear: '2025' }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(penalty({ fineAmountYuan: -0 }))).toBe('accepted');
    expect(verdict(penalty({ fineAmountYuan: -0.01 }))).toBe('EVENT.SCHEMA_VIOLATION');
  });

  it('checks identifiers with their check characters, and refuses what the payload does not declare', () => {
    expect(verdict(penalty({ subject: { ...subject, id: '91350200776049653B' } }, { subject: '91350200776049653B' }))).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(verdict(penalty({ subject: { ...subject, nickname: 'x' } }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(penalty({ severity: 'catastrophic' }))).toBe('EVENT.SCHEMA_VIOLATION');
    expect(verdict(penalty({}, { traceparent: 'abc' }))).toBe('accepted');
  });
});
