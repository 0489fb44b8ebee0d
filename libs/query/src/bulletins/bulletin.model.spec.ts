import { renderBulletinCsv } from './bulletin.csv';
import { buildBulletinContent, scoreOf } from './bulletin.model';
import { bulletinOutline, periodName } from './bulletin.outline';
import { parseBulletinPeriod } from './bulletin-period';
import { tallies } from './bulletin.service';

const line = (code: string, events: number, onTime: number, tasks: number, withFeedback: number, overdue: number) => ({
  department: { code, name: { zh: `${code}局`, en: code } },
  publication: { events, onTime, onTimeRate: events ? onTime / events : null },
  tasks: { received: tasks, withFeedback, feedbackRate: tasks ? withFeedback / tasks : null, medianTimeToFeedback: { workingDays: null, hours: null }, overdue, overdueBacklog: overdue },
});
const content = (departments: ReturnType<typeof line>[]) =>
  buildBulletinContent({ period: parseBulletinPeriod('2026-11'), performance: { period: { from: '2026-11-01', to: '2026-11-30' }, asOf: '2026-12-03', publicationDeadlineWorkingDays: 7, departments }, lifecycle: [], majorListings: [] });

describe('the bulletin ranking', () => {
  it('scores the mean of the rates a department has, less a quarter of its overdue share', () => {
    expect(scoreOf({ onTimeRate: 1, feedbackRate: 0.5, tasks: 4, overdue: 2 })).toBe(0.625);
    expect(scoreOf({ onTimeRate: 0.8, feedbackRate: null, tasks: 0, overdue: 0 })).toBe(0.8);
    expect(scoreOf({ onTimeRate: null, feedbackRate: 0, tasks: 2, overdue: 2 })).toBe(0);
    expect(scoreOf({ onTimeRate: null, feedbackRate: null, tasks: 0, overdue: 0 })).toBeNull();
  });

  it('ranks by score, a tie to fewer overdue tasks then more events; a department with nothing to assess has no place', () => {
    const { lines, totals } = content([line('idle', 0, 0, 0, 0, 0), line('late', 10, 5, 0, 0, 0), line('tied-more', 4, 4, 4, 4, 0), line('tied', 2, 2, 2, 2, 0), line('overdue', 4, 4, 4, 4, 1)]);
    expect(lines.map((l) => [l.department.code, l.rank])).toEqual([['tied-more', 1], ['tied', 2], ['overdue', 3], ['late', 4], ['idle', null]]);
    expect(totals).toMatchObject({ events: 20, onTime: 15, tasks: 10, withFeedback: 10, overdue: 1 });
  });

  it('names its period in Chinese and lays out every section, with the ranking explained', () => {
    const c = content([line('court', 3, 3, 1, 1, 0)]);
    expect(periodName(c)).toBe('2026年11月');
    expect(periodName({ period: parseBulletinPeriod('2026-Q4') })).toBe('2026年第四季度');
    const outline = bulletinOutline(c, { number: '利信通〔2026〕1号', issuedAt: new Date('2026-12-03T01:00:00Z'), issuedBy: 'credit-office' });
    expect(outline.sections.map((s) => s.title)).toEqual(['一、总体情况', '二、各部门信息报送及措施反馈情况排名', '三、信用修复与异议处理情况', '四、重大失信事件']);
    expect(outline.sections[1].items[0].heading).toBe('第 1 名　court局');
    expect(outline.footer[0]).toContain('排名说明');
  });

  it("writes the tables as CSV, a department's name that a spreadsheet would run as a formula made text", () => {
    const c = content([{ ...line('court', 1, 1, 0, 0, 0), department: { code: 'court', name: { zh: '=HYPERLINK("x")', en: 'court' } } }]);
    const rows = renderBulletinCsv(c, '利信通〔2026〕1号').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`'=HYPERLINK`);
    expect(rows.every((row) => row.split(',').length >= 26)).toBe(true);
  });

  it('tallies lifecycle outcomes per department, an undecided event counted nowhere', () => {
    expect(
      tallies([
        { department: 'court', type: 'credit.repair.approved.v1', status: 'applied', resolution: null, events: 2 },
        { department: 'court', type: 'credit.repair.approved.v1', status: 'refused', resolution: null, events: 1 },
        { department: 'court', type: 'credit.repair.approved.v1', status: null, resolution: null, events: 5 },
        { department: 'court', type: 'credit.objection.resolved.v1', status: 'applied', resolution: 'revoked', events: 1 },
        { department: 'tax', type: 'credit.list-entry.removed.v1', status: 'no-effect', resolution: null, events: 1 },
      ]),
    ).toEqual([
      { department: 'court', repairs: { applied: 2, refused: 1, noEffect: 0 }, removals: { applied: 0, refused: 0, noEffect: 0 }, objections: { filed: 0, confirmed: 0, revoked: 1 } },
      { department: 'tax', repairs: { applied: 0, refused: 0, noEffect: 0 }, removals: { applied: 0, refused: 0, noEffect: 1 }, objections: { filed: 0, confirmed: 0, revoked: 0 } },
    ]);
  });
});
