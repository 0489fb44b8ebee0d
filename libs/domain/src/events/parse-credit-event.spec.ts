import { parseCreditEvent, parseJson } from './parse-credit-event';
import { EventValidationError } from './event-validation.errors';

const valid = () => ({
  specversion: '1.0',
  id: 'e-1',
  source: '/departments/tax',
  type: 'credit.penalty.imposed.v1',
  subject: '91350200776049653a',
  time: '2026-11-20T08:00:00Z',
  data: {
    subject: { kind: 'enterprise', idType: 'USCC', id: ' 91350200776049653a ', name: '某公司' },
    relatedPersons: [{ role: 'legal-representative', idType: 'RESIDENT_ID', id: '11010519491231002x', name: '李四' }],
    documentNumber: '税罚〔2026〕1号',
    decidedOn: '2026-11-19',
    severity: 'serious',
    penaltyType: 'fine',
    reason: 'tax-evasion',
    fineAmountYuan: 120000,
  },
});

function failure(value: unknown): EventValidationError {
  try {
    parseCreditEvent(value);
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('parseCreditEvent', () => {
  it('returns a typed event with identifiers in canonical form', () => {
    const event = parseCreditEvent(valid());
    expect(event.type).toBe('credit.penalty.imposed.v1');
    expect(event.data.subject.id).toBe('91350200776049653A');
    expect(event.data.relatedPersons?.[0].id).toBe('11010519491231002X');
  });

  it('refuses non-objects and missing envelope attributes as NOT_CLOUDEVENT', () => {
    expect(failure([]).code).toBe('EVENT.NOT_CLOUDEVENT');
    const { specversion: _omit, ...rest } = valid();
    const error = failure(rest);
    expect(error.code).toBe('EVENT.NOT_CLOUDEVENT');
    expect(error.violations.map((v) => v.path)).toContain('specversion');
  });

  it('refuses unknown types, listing the known ones', () => {
    const error = failure({ ...valid(), type: 'credit.penalty.imposed.v9' });
    expect(error.code).toBe('EVENT.UNKNOWN_TYPE');
    expect(error.message).toContain('credit.penalty.imposed.v1');
  });

  it('reports schema violations with paths into the payload', () => {
    const event = valid();
    (event.data as Record<string, unknown>).severity = 'catastrophic';
    delete (event.data as Record<string, unknown>).documentNumber;
    const error = failure(event);
    expect(error.code).toBe('EVENT.SCHEMA_VIOLATION');
    expect([...new Set(error.violations.map((v) => v.path))].sort()).toEqual(['data.documentNumber', 'data.severity']);
  });

  it('refuses properties the schema does not know', () => {
    const event = valid();
    (event.data as Record<string, unknown>).secretNote = 'x';
    expect(failure(event).violations.map((v) => v.path)).toContain('data.secretNote');
  });

  it('reports a bad check character with its own code, without echoing a person\'s identifier', () => {
    const event = valid();
    event.data.relatedPersons[0].id = '110105194912310021';
    const error = failure(event);
    expect(error.code).toBe('SUBJECT.BAD_CHECK_DIGIT');
    expect(JSON.stringify({ message: error.message, violations: error.violations })).not.toContain('110105194912310021');
  });

  it('refuses an individual identified by a credit code, and a subject attribute naming someone else', () => {
    const mismatch = valid();
    mismatch.data.subject.kind = 'individual';
    expect(failure(mismatch).code).toBe('SUBJECT.ID_TYPE_MISMATCH');
    expect(failure({ ...valid(), subject: '91440101MA5CJQ4N59' }).code).toBe('EVENT.SUBJECT_MISMATCH');
  });

  it('refuses impossible dates', () => {
    const event = valid();
    event.data.decidedOn = '2026-02-29';
    expect(failure(event).violations).toEqual([{ path: 'data.decidedOn', message: expect.stringMatching(/calendar date/) }]);
  });
});

describe('parseJson', () => {
  it('turns a syntax error into EVENT.MALFORMED_JSON', () => {
    expect(() => parseJson('{"a":')).toThrow(expect.objectContaining({ code: 'EVENT.MALFORMED_JSON' }));
    expect(parseJson(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
  });
});
