import { maskPersonName, publicReportSubject } from './report-masking';

describe('the public view of a report subject', () => {
  it("shows an organisation's name and code as registered", () => {
    expect(publicReportSubject({ idType: 'USCC', id: '91510802MA62XK0U3U', kind: 'enterprise', name: '广元市示例公司' }, true)).toEqual({
      kind: 'enterprise', idType: 'USCC', id: '91510802MA62XK0U3U', name: '广元市示例公司', masked: false,
    });
  });

  it("masks a natural person's number and name, or leaves the person out where persons are not published", () => {
    const person = { idType: 'RESIDENT_ID', id: '510802199003071232', kind: 'individual', name: '张三丰' };
    expect(publicReportSubject(person, false)).toEqual({ kind: 'individual', idType: 'RESIDENT_ID', id: '510802********1232', name: '张**', masked: true });
    expect(publicReportSubject(person, true)).toBeNull();
    // An identifier of any other type is a person's as far as the public is concerned.
    expect(publicReportSubject({ ...person, idType: 'PASSPORT', id: 'E12345678' }, false)?.id).toBe('*********');
  });

  it('keeps one character of a name, however short', () => {
    expect(maskPersonName('张')).toBe('张*');
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧***');
    expect(maskPersonName('𠮷野家')).toBe('𠮷**');
  });
});
