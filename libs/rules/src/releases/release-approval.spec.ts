import { checkEffectiveTime, checkFourEyes } from './release-approval';
import { ReleaseError } from './release.errors';

function refusal(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof ReleaseError ? error.code : String(error);
  }
}

describe('release approval', () => {
  it('refuses the author as approver, whatever the case or surrounding spaces', () => {
    expect(refusal(() => checkFourEyes('王芳', '王芳'))).toBe('RELEASE.FOUR_EYES');
    expect(refusal(() => checkFourEyes('li.qiang', ' Li.Qiang '))).toBe('RELEASE.FOUR_EYES');
    expect(refusal(() => checkFourEyes('王芳', '李强'))).toBeUndefined();
  });

  it('refuses an effective time sooner than the lead after now, and takes one exactly at it', () => {
    const now = new Date('2026-12-01T08:00:00Z');
    expect(refusal(() => checkEffectiveTime(new Date('2026-12-01T08:00:09.999Z'), now, 10_000))).toBe('RELEASE.EFFECTIVE_TOO_SOON');
    expect(refusal(() => checkEffectiveTime(new Date('2026-12-01T07:00:00Z'), now, 0))).toBe('RELEASE.EFFECTIVE_TOO_SOON');
    expect(refusal(() => checkEffectiveTime(new Date('2026-12-01T08:00:10Z'), now, 10_000))).toBeUndefined();
  });
});
