import { SingleBar } from 'cli-progress';

/** A long phase's progress: a bar on a terminal, a line now and then in a log (CI, a redirect). */
export interface PhaseProgress {
  update(done: number, note?: string): void;
  stop(): void;
}

const LINE_EVERY_MS = 5_000;

/**
 * A bar for a phase of `total` steps. On a terminal it redraws in place (cli-progress); otherwise
 * it writes `log` lines at most every 5 s, so a CI log still shows the phase moving.
 */
export function phaseProgress(label: string, total: number, log: (line: string) => void): PhaseProgress {
  if (process.stdout.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} {note}`, hideCursor: true, clearOnComplete: false, etaBuffer: 50 });
    bar.start(total, 0, { note: '' });
    return { update: (done, note = '') => bar.update(Math.min(done, total), { note }), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(done, note) {
      const now = Date.now();
      if (now - last < LINE_EVERY_MS && done < total) return;
      last = now;
      log(`${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${Math.round((100 * done) / Math.max(1, total))} %)${note ? ` ${note}` : ''}`);
    },
    stop: () => undefined,
  };
}
