import { describeQueryFailure } from './query-error.logger';

describe('failed queries in the log', () => {
  it('are named by SQLSTATE, table, constraint and statement, never by values', () => {
    const error = Object.assign(new Error('null value in column "subject_name" of relation "list_entry" violates not-null constraint'), {
      code: '23502',
      table: 'list_entry',
      detail: 'Failing row contains (…, 510802199003071232, 王建国, …).',
    });
    const line = describeQueryFailure(error, `INSERT INTO list_entry (id, subject_id, subject_name) SELECT … FROM jsonb_to_recordset($1::jsonb)`);
    expect(line).toBe('query failed (SQLSTATE 23502, table list_entry): INSERT INTO list_entry …');
    expect(line).not.toMatch(/510802199003071232|王建国|subject_name/);
  });
});
