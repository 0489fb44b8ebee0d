import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '@app/config';
import { DepartmentError, DepartmentRegistry, DepartmentsDocument } from '@app/domain';

/**
 * Read the departments registry file (DEPARTMENTS_FILE). Every failure names the variable and
 * the file: a missing one says it is the operator's to provide, since the image ships none.
 */
export function readDepartmentsDocument(file: string): DepartmentsDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new DepartmentError(
      'DEPARTMENT.INVALID_REGISTRY',
      `DEPARTMENTS_FILE=${file}: cannot be read (${code}); the departments registry (who may publish what, and the SHA-256 of each department's tokens) is not part of the image: mount your own and point DEPARTMENTS_FILE at it`,
      { file },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `DEPARTMENTS_FILE=${file}: not valid JSON (${(error as Error).message})`, { file });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { departments?: unknown }).departments)) {
    throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `DEPARTMENTS_FILE=${file}: expected an object with a "departments" list`, { file });
  }
  return parsed as DepartmentsDocument;
}

/**
 * The registry in the file, validated. In production a development token is a configuration
 * error (ConfigError names DEPARTMENTS_FILE), at start-up and on every reload alike.
 */
export function loadDepartmentRegistry(file: string, mode: 'development' | 'production' | 'test'): DepartmentRegistry {
  let registry: DepartmentRegistry;
  try {
    registry = new DepartmentRegistry(readDepartmentsDocument(file).departments);
  } catch (error) {
    if (error instanceof DepartmentError && !error.message.startsWith('DEPARTMENTS_FILE=')) error.message = `DEPARTMENTS_FILE=${file}: ${error.message}`;
    throw error;
  }
  const development = mode === 'production' ? registry.withDevelopmentTokens() : [];
  if (development.length > 0) {
    throw new ConfigError([
      `DEPARTMENTS_FILE=${file}: the development tokens of ${development.join(', ')} may not be used in production; give each department a token of its own (npm run token -- add <code>; only its SHA-256 is stored)`,
    ]);
  }
  return registry;
}

/**
 * Replace the file with the document as a whole: written beside it and renamed over it, so an
 * app polling the file never reads half of it. A file bind-mounted on its own cannot be renamed
 * over (EBUSY); it is then written in place.
 */
export function writeDepartmentsDocument(file: string, document: DepartmentsDocument): void {
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, text, { mode: 0o600 });
    try {
      chmodSync(temporary, statSync(file).mode & 0o777);
    } catch {
      // No file yet to take the mode from: the new one stays readable by its owner only.
    }
    renameSync(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EBUSY' && code !== 'EXDEV' && code !== 'EPERM') throw error;
    writeFileSync(file, text);
  }
}
