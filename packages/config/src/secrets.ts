import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * A secret is configured by reference only: the name of an environment variable or a file (container secret
 * mounts). The value is read in the worker process when needed and never copied into config, workflow inputs or logs.
 */
export const SecretRefSchema = z.union([
  z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(),
  z.object({ file: z.string().min(1, 'must be a file path') }).strict(),
]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

export class SecretResolutionError extends Error {
  override name = 'SecretResolutionError';
}

export function describeSecretRef(ref: SecretRef): string {
  return 'env' in ref ? `environment variable ${ref.env}` : `file ${ref.file}`;
}

/** Reads the secret a reference points at; relative file paths resolve against `baseDir` (the config's folder). */
export function resolveSecret(ref: SecretRef, baseDir = process.cwd()): string {
  if ('env' in ref) {
    const value = process.env[ref.env];
    if (value === undefined || value === '') {
      throw new SecretResolutionError(`secret reference: environment variable ${ref.env} is not set`);
    }
    return value;
  }
  const file = path.resolve(baseDir, ref.file);
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new SecretResolutionError(`secret reference: cannot read file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
