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

  it('takes datacontenttype application/json with or without a UTF-8 charset, and refuses any other media type', () => {
    for (const datacontenttype of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"']) {
      expect(parseCreditEvent({ ...valid(), datacontenttype }).datacontenttype).toBe(datacontenttype);
    }
    for (const datacontenttype of ['text/plain', 'application/json; charset=latin1', 'application/xml', '']) {
      const error = failure({ ...valid(), datacontenttype });
      expect(error.code).toBe('EVENT.NOT_CLOUDEVENT');
      expect(error.violations.map((v) => v.path)).toContain('datacontenttype');
    }
  });

  it('takes a dataschema that is a URI, its own type\'s engine schema or another registry\'s', () => {
    for (const dataschema of ['https://credit.example/schemas/credit.penalty.imposed.v1.json', 'https://registry.example/tax/penalty.json', 'urn:example:penalty:1']) {
      expect(parseCreditEvent({ ...valid(), dataschema }).dataschema).toBe(dataschema);
    }
  });

  it('refuses a dataschema that is not a URI as NOT_CLOUDEVENT, on its path', () => {
    for (const dataschema of ['not a uri', '/schemas/credit.penalty.imposed.v1.json', '', 42]) {
      const error = failure({ ...valid(), dataschema });
      expect(error.code).toBe('EVENT.NOT_CLOUDEVENT');
      expect(error.violations.map((v) => v.path)).toEqual(expect.arrayContaining(['dataschema']));
    }
  });

  it('refuses a dataschema naming the engine schema of another type as SCHEMA_VIOLATION', () => {
    const error = failure({ ...valid(), dataschema: 'https://credit.example/schemas/credit.honour.granted.v1.json' });
    expect(error.code).toBe('EVENT.SCHEMA_VIOLATION');
    expect(error.violations).toEqual([{ path: 'dataschema', message: "names the engine schema of another type; this event's is …/schemas/credit.penalty.imposed.v1.json" }]);
    // The sender's text is not quoted back (violations are kept in clear with dead letters).
    const quoted = failure({ ...valid(), dataschema: 'https://credit.example/schemas/credit.110101199003074578.json' });
    expect(JSON.stringify([quoted.message, quoted.violations])).not.toContain('110101199003074578');
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

  it('never quotes the text around the fault: a name or most of a resident ID would reach the dead letter in clear', () => {
    for (const text of ['张三 510802199003071232', '["张三", tru]', '510802199003071232abc', '{"id": "510802199003071232", "name": "张三" x']) {
      let message = '';
      try {
        parseJson(text);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^body is not valid JSON( \(at position \d+\))?$/);
    }
  });
});

describe('parseCreditEvent on hostile input', () => {
  it('runs the untrusted-JSON checks first: depth, forbidden keys, characters', () => {
    let nested: unknown = 1;
    for (let i = 0; i < 10_000; i++) nested = { a: nested };
    expect(failure({ ...valid(), data: { ...valid().data, x: nested } }).code).toBe('EVENT.TOO_DEEP');
    expect(failure({ ...valid(), data: { ...valid().data, constructor: 1 } }).code).toBe('EVENT.FORBIDDEN_KEY');
    expect(failure(JSON.parse(JSON.stringify(valid()).replace('"documentNumber"', '"__proto__":{"a":1},"documentNumber"'))).code).toBe('EVENT.FORBIDDEN_KEY');
    const bad = failure({ ...valid(), data: { ...valid().data, documentNumber: '税罚\u0000' } });
    expect(bad.code).toBe('EVENT.BAD_CHARACTER');
    expect(bad.violations[0].path).toBe('data.documentNumber');
    expect(failure({ ...valid(), data: { ...valid().data, subject: { ...valid().data.subject, name: '某公司\u202e' } } }).violations[0].path).toBe('data.subject.name');
  });

  it('reports a missing or non-object data, or a missing data.subject, as a schema violation with a path', () => {
    const { data: _data, ...noData } = valid();
    expect(failure(noData)).toMatchObject({ code: 'EVENT.SCHEMA_VIOLATION', violations: [{ path: 'data' }] });
    expect(failure({ ...valid(), data: 'x' })).toMatchObject({ code: 'EVENT.SCHEMA_VIOLATION', violations: [{ path: 'data' }] });
    expect(failure({ ...valid(), data: [1] })).toMatchObject({ code: 'EVENT.SCHEMA_VIOLATION', violations: [{ path: 'data' }] });
    const { subject: _subject, ...withoutSubject } = valid().data;
    const error = failure({ ...valid(), data: withoutSubject });
    expect(error.code).toBe('EVENT.SCHEMA_VIOLATION');
    expect(error.violations.map((v) => v.path)).toContain('data.subject');
  });

  it('caps extension attributes', () => {
    expect(failure({ ...valid(), huge: 'x'.repeat(1000) }).code).toBe('EVENT.TOO_LARGE');
    expect(parseCreditEvent({ ...valid(), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })).toMatchObject({ traceparent: expect.any(String) });
  });

  it('refuses an over-size JSON text before parsing it', () => {
    expect(() => parseJson(Buffer.alloc(70_000, 0x20))).toThrow(expect.objectContaining({ code: 'EVENT.TOO_LARGE' }));
  });

  it('throws nothing but EventValidationError for any value of a seeded sweep of mutations', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const samples: unknown[] = [undefined, null, 0, -1, 1e308, '', 'x', true, [], {}, [null], { data: null }, { data: { subject: 1 } }];
    const paths = ['id', 'type', 'subject', 'time', 'data', 'data.subject', 'data.subject.id', 'data.subject.idType', 'data.subject.kind', 'data.relatedPersons', 'data.relatedPersons.0', 'data.relatedPersons.0.id', 'data.decidedOn', 'data.fineAmountYuan'];
    for (let i = 0; i < 3000; i++) {
      const event = valid() as unknown as Record<string, unknown>;
      const path = paths[Math.floor(random() * paths.length)].split('.');
      let holder = event as Record<string, unknown>;
      for (const key of path.slice(0, -1)) holder = (holder?.[key] ?? {}) as Record<string, unknown>;
      const last = path[path.length - 1];
      if (random() < 0.3) delete holder[last];
      else holder[last] = samples[Math.floor(random() * samples.length)];
      try {
        parseCreditEvent(event);
      } catch (error) {
        expect({ path, error: error instanceof EventValidationError ? 'EventValidationError' : String(error) }).toEqual({ path, error: 'EventValidationError' });
      }
    }
  });
});

describe('validity and targets of credit events', () => {
  const base = {
    specversion: '1.0',
    id: 'v-1',
    source: '/departments/court',
    subject: '91510802MA62XK0U3U',
    time: '2026-11-20T02:00:00Z',
  };
  const subject = { kind: 'enterprise', idType: 'USCC', id: '91510802MA62XK0U3U', name: '广元市利州区某某建材有限公司' };
  const codeOf = (value: unknown) => {
    try {
      parseCreditEvent(value);
      return 'accepted';
    } catch (error) {
      return (error as { code: string; violations?: { path: string }[] }).code + ' ' + ((error as { violations?: { path: string }[] }).violations ?? []).map((v) => v.path).join(',');
    }
  };

  it('refuses a validity that ends before it begins, and accepts one that ends on its first day', () => {
    const listing = (validTo: string) => ({ ...base, type: 'credit.judgment-debtor.listed.v1', data: { subject, documentNumber: 'D-1', decidedOn: '2026-11-20', reason: 'evading-execution', validTo } });
    expect(codeOf(listing('2026-11-19'))).toBe('EVENT.SCHEMA_VIOLATION data.validTo');
    expect(codeOf(listing('2026-11-20'))).toBe('accepted');
  });

  it('asks a removal or repair for exactly one target: a list, a penalty decision or a decision', () => {
    const repair = (target: Record<string, unknown>) => ({ ...base, type: 'credit.repair.approved.v1', data: { subject, documentNumber: 'R-1', decidedOn: '2026-11-20', ...target } });
    expect(codeOf(repair({ listCode: 'judgment-debtor' }))).toBe('accepted');
    expect(codeOf(repair({ penaltyDocumentNumber: '广环罚〔2026〕7号' }))).toBe('accepted');
    expect(codeOf(repair({ decisionId: '752f2414-49f5-84d5-8a03-6584d9a51939' }))).toBe('accepted');
    expect(codeOf(repair({}))).toBe('EVENT.SCHEMA_VIOLATION data.listCode');
    expect(codeOf(repair({ listCode: 'judgment-debtor', decisionId: '752f2414-49f5-84d5-8a03-6584d9a51939' }))).toBe('EVENT.SCHEMA_VIOLATION data.listCode');
    expect(codeOf(repair({ listCode: 'Not A Code' }))).toBe('EVENT.SCHEMA_VIOLATION data.listCode');
  });
});
