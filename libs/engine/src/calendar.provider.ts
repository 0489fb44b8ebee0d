import { readFileSync } from 'node:fs';
import { Provider } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { DomainError, WorkingDayCalendar, WorkingDayCalendarDefinition } from '@app/domain';

/**
 * Read the working-day calendar file once. A missing or broken file stops the boot naming
 * CALENDAR_FILE: due dates counted on a wrong calendar would be silently wrong.
 */
export function loadWorkingDayCalendar(file: string): WorkingDayCalendar {
  let parsed: Partial<WorkingDayCalendarDefinition>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<WorkingDayCalendarDefinition>;
  } catch (error) {
    throw new DomainError('CALENDAR.INVALID', `CALENDAR_FILE=${file}: cannot read the working-day calendar: ${(error as Error).message}`, { file });
  }
  const missing = (['weekend', 'holidays', 'workdays'] as const).filter((key) => !Array.isArray(parsed?.[key]));
  if (missing.length > 0) throw new DomainError('CALENDAR.INVALID', `CALENDAR_FILE=${file}: ${missing.join(', ')} must be arrays`, { file });
  try {
    return new WorkingDayCalendar({ weekend: parsed.weekend!, holidays: parsed.holidays!, workdays: parsed.workdays! });
  } catch (error) {
    if (error instanceof DomainError) error.message = `CALENDAR_FILE=${file}: ${error.message}`;
    throw error;
  }
}

/** The one WorkingDayCalendar of an app, injected by its class. */
export const workingDayCalendarProvider: Provider = {
  provide: WorkingDayCalendar,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => loadWorkingDayCalendar(config.CALENDAR_FILE),
};
