import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Settings from a `.env` file: `ENV_FILE` names one (it must exist), else `.env` in the working
 * directory is read if present. A variable already in the environment wins, so a deployment's
 * own environment always overrides the file. Returns the file read and the variables it set.
 */
export function applyEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): { file: string; applied: string[] } | undefined {
  const named = env.ENV_FILE;
  const file = resolve(cwd, named ?? '.env');
  if (!existsSync(file)) {
    if (named !== undefined) throw new Error(`ENV_FILE=${JSON.stringify(named)}: no such file (${file})`);
    return undefined;
  }
  const values = parseEnv(readFileSync(file, 'utf8'));
  const applied: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    applied.push(name);
  }
  return { file, applied };
}
