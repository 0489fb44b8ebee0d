import { claimedEventType, DEAD_LETTER_PREVIEW_LIMIT, maskedPreview } from './dead-letter-preview';

const RESIDENT_ID = '510802199003071233';
const event = {
  specversion: '1.0',
  id: '3f6d1c9e-2b7a-4c1e-9a51-0d2f7c3b8e02',
  source: '/departments/court',
  type: 'credit.judgment-debtor.listed.v1',
  subject: '91510802MA62X6YB3K',
  time: '2026-11-27T09:00:00+08:00',
  data: {
    subject: { kind: 'enterprise', idType: 'USCC', id: '91510802MA62X6YB3K', name: '利州某建材有限公司' },
    relatedPersons: [{ role: 'legal-representative', idType: 'RESIDENT_ID', id: RESIDENT_ID, name: '张三' }],
    reason: '张三拒不履行 Zhang San refused',
    amount: 120000,
    fine: 2500,
  },
};

describe('maskedPreview', () => {
  it('keeps the structure and the attributes that name the event, and no resident ID, name or free text', () => {
    const preview = maskedPreview(JSON.stringify(event));
    const parsed = JSON.parse(preview);
    expect(parsed).toMatchObject({ specversion: '1.0', id: event.id, source: event.source, type: event.type, time: event.time });
    expect(Object.keys(parsed.data)).toEqual(['subject', 'relatedPersons', 'reason', 'amount', 'fine']);
    expect(parsed.data.relatedPersons[0].id).toBe('510802********1233');
    expect(parsed.data.fine).toBe(2500);
    for (const secret of [RESIDENT_ID, '张三', '张', 'Zhang', '利州某建材', '120000']) expect(preview).not.toContain(secret);
  });

  it('masks an attribute that could be personal: a subject, a source with a long digit run', () => {
    const parsed = JSON.parse(maskedPreview(JSON.stringify({ ...event, subject: RESIDENT_ID, source: `/departments/${RESIDENT_ID}` })));
    expect(parsed.subject).toBe('510802********1233');
    expect(parsed.source).not.toContain('19900307');
  });

  it('masks a key that is not a schema name and a nested "type"', () => {
    const preview = maskedPreview(JSON.stringify({ [RESIDENT_ID]: 1, data: { type: '张三', 名字: 'x' } }));
    expect(preview).not.toContain(RESIDENT_ID);
    expect(preview).not.toContain('张三');
    expect(preview).not.toContain('名字');
  });

  it('masks every letter and digit of text that is not JSON, identifiers the domain way', () => {
    expect(maskedPreview(`{"specversion": "1.0", "id": "${RESIDENT_ID}", "name": "张三`)).toBe('{"***********": "*.*", "**": "510802********1233", "****": "**');
  });

  it('is bounded, and never ends on half a surrogate pair', () => {
    expect(maskedPreview('x'.repeat(5000))).toHaveLength(DEAD_LETTER_PREVIEW_LIMIT + 1);
    const astral = maskedPreview(`${'a'.repeat(DEAD_LETTER_PREVIEW_LIMIT - 1)}😀😀`);
    expect(astral.endsWith('…')).toBe(true);
    expect(astral).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('claimedEventType', () => {
  it('is the type of a structured-mode event, or null', () => {
    expect(claimedEventType(JSON.stringify(event))).toBe(event.type);
    expect(claimedEventType('{"type": 42}')).toBeNull();
    expect(claimedEventType(`{"type": "${RESIDENT_ID}"}`)).toBeNull();
    expect(claimedEventType('not json')).toBeNull();
    expect(claimedEventType('[{"type":"x"}]')).toBeNull();
  });
});
