import { BulletinContent, buildBulletinContent } from './bulletin.model';
import { parseBulletinPeriod } from './bulletin-period';

/**
 * A bulletin with every section filled: the font check at start-up draws its text, so a font
 * missing a character the bulletin prints stops the boot instead of printing boxes.
 */
export function sampleBulletinContent(): BulletinContent {
  const period = parseBulletinPeriod('2026-Q4');
  const department = (code: string, zh: string) => ({ code, name: { zh, en: code } });
  const line = (code: string, zh: string, events: number, onTime: number, tasks: number, withFeedback: number, overdue: number) => ({
    department: department(code, zh),
    publication: { events, onTime, onTimeRate: events ? onTime / events : null },
    tasks: { received: tasks, withFeedback, feedbackRate: tasks ? withFeedback / tasks : null, medianTimeToFeedback: { workingDays: null, hours: null }, overdue, overdueBacklog: overdue },
  });
  return buildBulletinContent({
    period,
    performance: {
      period: { from: period.from, to: period.to },
      asOf: '2027-01-04',
      publicationDeadlineWorkingDays: 7,
      departments: [line('court', '区人民法院', 10, 9, 4, 3, 1), line('tax', '区税务局', 0, 0, 0, 0, 0)],
    },
    lifecycle: [{ department: 'court', repairs: { applied: 1, refused: 1, noEffect: 0 }, removals: { applied: 1, refused: 0, noEffect: 0 }, objections: { filed: 1, confirmed: 1, revoked: 0 } }],
    majorListings: [{ memorandum: 'judgment-debtors', listCode: 'judgment-debtor', identifyingDepartment: 'court', entries: 2, subjects: 2 }],
  });
}
