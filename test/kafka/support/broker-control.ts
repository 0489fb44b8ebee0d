import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const KAFKA_SH = resolve(ROOT, 'scripts/kafka.sh');

/** Run `bash scripts/kafka.sh <command>`; resolves with its output, rejects with it on a non-zero exit. */
export function kafkaSh(command: 'start' | 'stop' | 'restart' | 'status', env: Record<string, string> = {}, timeoutMs = 180_000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile('bash', [KAFKA_SH, command], { cwd: ROOT, env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`kafka.sh ${command} failed: ${error.message}\n${output}`));
      else resolvePromise(output);
    });
  });
}

/** The pid of the broker started by scripts/kafka.sh (changes on every restart), if any. */
export function brokerPid(): string | undefined {
  try {
    return readFileSync(resolve(ROOT, '.cache/kafka/kafka.pid'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
