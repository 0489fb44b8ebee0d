import { csvCell } from '@app/query';
import { differencesCsv } from './what-if-csv';

describe('differencesCsv', () => {
  it('writes a header and one CRLF line a difference, codes space-separated, cells quoted where needed', () => {
    const csv = differencesCsv([
      {
        source: '/departments/court',
        eventId: 'e,1',
        eventType: 'credit.judgment-debtor.listed.v1',
        decidedAt: '2026-12-01T02:00:00.000Z',
        memorandumId: 'judgment-debtors',
        change: 'changed',
        subject: 'RESIDENT_ID:510802********1232 张*',
        measuresGained: [],
        measuresLost: ['JD-02', 'JD-03'],
        measuresChanged: [],
        listEntriesChanged: false,
      },
    ]);
    expect(csv).toBe(
      'source,event_id,event_type,decided_at,memorandum_id,change,subject,measures_gained,measures_lost,measures_changed,list_entries_changed\r\n' +
        '/departments/court,"e,1",credit.judgment-debtor.listed.v1,2026-12-01T02:00:00.000Z,judgment-debtors,changed,RESIDENT_ID:510802********1232 张*,,JD-02 JD-03,,false\r\n',
    );
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    expect([csvCell('=HYPERLINK("x")'), csvCell('-1'), csvCell('plain')]).toEqual(['"\'=HYPERLINK(""x"")"', "'-1", 'plain']);
  });
});
