import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { loadValidators, type ValidatorsByClass } from './compiled-validators';

export type ValidationResult = { valid: true } | { valid: false; errors: string[] };

export interface EventValidator {
  validate(e: unknown): ValidationResult;
  /** Whether the validators are the code generated at build time (else compiled at start; see compiled-validators). */
  readonly prebuilt: boolean;
}

/**
 * Validates events against the OCSF 1.8.0 JSON Schema of their class_uid (Ajv 2020-12, strict). Create one validator
 * per process and reuse it.
 */
export function createEventValidator(): EventValidator {
  // Valid events (nearly all) are checked by validators that stop at the first error (allErrors costs up to 2× per
  // event on these large schemas); an invalid one is re-checked with allErrors so a dead letter still lists every
  // problem at once. Those load on the first invalid event.
  const fast = loadValidators('fast');
  const byClass = fast.byClass;
  let full: ValidatorsByClass | undefined;
  const fullValidator = (classUid: number): ValidateFunction => (full ??= loadValidators('full').byClass).get(classUid)!;
  return {
    prebuilt: fast.prebuilt,
    validate(e: unknown): ValidationResult {
      const classUid = e !== null && typeof e === 'object' ? (e as { class_uid?: unknown }).class_uid : undefined;
      const validate = typeof classUid === 'number' ? byClass.get(classUid) : undefined;
      if (!validate) return { valid: false, errors: [`/class_uid: ${String(classUid)} is not one of ${[...byClass.keys()].join(', ')}`] };
      if (validate(e)) return { valid: true };
      const all = fullValidator(classUid as number);
      if (all(e)) return { valid: true }; // same schema, so not expected; never report errors the full check did not find
      return { valid: false, errors: (all.errors ?? []).map(describe) };
    },
  };
}

function describe(err: ErrorObject): string {
  const where = err.instancePath || '/';
  const params = err.params as Record<string, unknown>;
  const detail =
    err.keyword === 'additionalProperties' ? ` (${String(params.additionalProperty)})`
    : err.keyword === 'enum' ? ` (${JSON.stringify(params.allowedValues)})`
    : '';
  // The schema path names the rule that rejected the event, e.g. dependentSchemas/action_id for an undeclared profile.
  return `${where}: ${err.keyword}: ${err.message ?? 'invalid'}${detail} [${err.schemaPath}]`;
}
