import { statSync } from 'node:fs';

/**
 * Notices when files change, by polling their size and modification time: editors replace
 * files in ways fs.watch misses, and a few stat calls every few seconds cost nothing. A file
 * that cannot be read counts as changed too, so the reader can refuse it and say why.
 */
export class FilePoller {
  private fingerprint: string;
  private timer?: NodeJS.Timeout;

  constructor(private readonly files: () => readonly string[]) {
    this.fingerprint = this.current();
  }

  /** True once for each change since the previous call (or since construction). */
  changed(): boolean {
    const fingerprint = this.current();
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    return true;
  }

  /** Call `check` every `intervalMs` (not at all when 0); the timer does not keep the process alive. */
  start(intervalMs: number, check: () => void): void {
    if (intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(check, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private current(): string {
    let files: readonly string[];
    try {
      files = this.files();
    } catch (error) {
      return `unlistable:${(error as NodeJS.ErrnoException).code ?? ''}`;
    }
    return files
      .map((file) => {
        try {
          const stat = statSync(file);
          return `${file}:${stat.size}:${stat.mtimeMs}`;
        } catch (error) {
          return `${file}:unreadable:${(error as NodeJS.ErrnoException).code ?? ''}`;
        }
      })
      .join('|');
  }
}
