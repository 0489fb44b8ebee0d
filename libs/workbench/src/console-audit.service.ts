import { Injectable } from '@nestjs/common';
import { ConsoleAuditRepository } from '@app/persistence';

/** Every console action, by name: the audit's `action` column takes only these. */
export type ConsoleAction =
  | 'sign-in'
  | 'sign-out'
  | 'read-memoranda'
  | 'read-memorandum'
  | 'read-overview'
  | 'read-bulletins'
  | 'download-bulletin'
  | 'read-releases'
  | 'read-release-diff'
  | 'create-release-draft'
  | 'approve-release'
  | 'rollback-release'
  | 'open-draft'
  | 'check-draft'
  | 'run-draft-cases'
  | 'submit-draft-release'
  | 'run-what-if'
  | 'read-what-if'
  | 'download-what-if'
  | 'read-what-if-event'
  | 'cancel-what-if'
  | 'request-refused';
export type ConsoleOutcome = 'ok' | 'refused';

export interface ConsoleAuditEntry {
  userName: string;
  action: ConsoleAction;
  target?: string;
  outcome: ConsoleOutcome;
  address?: string;
}

@Injectable()
export class ConsoleAuditService {
  constructor(private readonly repository: ConsoleAuditRepository) {}

  /**
   * Runs one console action and audits it, whether it answers or is refused; a refusal is rethrown
   * for the exception filter to answer. `target` is cut to the column's 200 characters;
   * `answeredTarget` names it from the answer when the action is done (a new run's id).
   */
  async audited<T>(entry: Omit<ConsoleAuditEntry, 'outcome'>, work: () => Promise<T>, answeredTarget?: (answer: T) => string): Promise<T> {
    const row = { ...entry, target: entry.target?.slice(0, 200) };
    try {
      const answer = await work();
      await this.record({ ...row, outcome: 'ok', ...(answeredTarget ? { target: answeredTarget(answer).slice(0, 200) } : {}) });
      return answer;
    } catch (error) {
      await this.record({ ...row, outcome: 'refused' });
      throw error;
    }
  }

  record(entry: ConsoleAuditEntry): Promise<void> {
    return this.repository.record({ userName: entry.userName, action: entry.action, target: entry.target ?? null, outcome: entry.outcome, address: entry.address ?? null });
  }
}
