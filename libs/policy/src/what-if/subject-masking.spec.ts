import { maskName, maskSubject } from './subject-masking';

describe('maskSubject', () => {
  it('masks a resident ID as everywhere else and keeps a name\'s first and last characters only', () => {
    expect(maskSubject({ kind: 'individual', idType: 'RESIDENT_ID', id: '510802199003071232', name: '欧阳建国' })).toEqual({ kind: 'individual', idType: 'RESIDENT_ID', id: '510802********1232', name: '欧**国' });
  });

  it('shows a USCC whole (legal persons are public) and still shortens the name', () => {
    expect(maskSubject({ kind: 'enterprise', idType: 'USCC', id: '91510802MA6T7E1QXE', name: '广元市利州区某公司' })).toMatchObject({ id: '91510802MA6T7E1QXE', name: '广*******司' });
  });

  it('leaves nothing of a one- or two-character name but its first, counting characters beyond the BMP as one', () => {
    expect([maskName('李'), maskName('张三'), maskName('𠮷野家'), maskName('')]).toEqual(['*', '张*', '𠮷*家', '']);
  });
});
