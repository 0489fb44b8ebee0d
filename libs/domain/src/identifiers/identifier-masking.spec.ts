import { maskIdentifier } from './identifier-masking';

describe('maskIdentifier', () => {
  it('keeps the division and last four characters of a resident ID', () => {
    expect(maskIdentifier('RESIDENT_ID', '510802199003071232')).toBe('510802********1232');
    expect(maskIdentifier('RESIDENT_ID', '11010519491231002X')).toBe('110105********002X');
  });

  it('hides malformed resident IDs entirely', () => {
    expect(maskIdentifier('RESIDENT_ID', '510802900307123')).toBe('***************');
  });

  it('leaves public USCCs as they are', () => {
    expect(maskIdentifier('USCC', '91350200776049653A')).toBe('91350200776049653A');
  });
});
