import { readFileSync } from 'node:fs';
import { AppConfig } from '@app/config';
import { README, settingRows, settingsTable, withSettingsTable } from './settings-table';

describe('the README table of settings', () => {
  it('has a row for every setting AppConfig reads, and no other', () => {
    expect(settingRows().map((r) => r.name).sort()).toEqual(Object.keys(new AppConfig()).sort());
  });

  it('says what each setting does, from its doc comment, with its default and values', () => {
    const rows = new Map(settingRows().map((r) => [r.name, r]));
    expect(rows.get('ENGINE_BATCH_SIZE')).toMatchObject({ default: '`250`', values: 'integer ≥ 1, ≤ 10000' });
    expect(rows.get('ENGINE_BATCH_SIZE')!.description).toContain('Events decided and stored per database transaction');
    expect(rows.get('TRANSPORT')!.values).toContain('`kafka`');
    // An operator reads the table to configure a deployment: every setting says what it does.
    expect(settingRows().filter((r) => r.description.length === 0).map((r) => r.name)).toEqual([]);
  });

  it('is what the README shows (run npm run docs:settings after changing a setting)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withSettingsTable(readme, settingsTable())).toBe(readme);
  });
});
