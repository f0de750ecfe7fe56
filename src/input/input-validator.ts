import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMAS_DIR } from '../project-root.js';
import type { Violation } from '../problems/app-error.js';
import { isCidr, isLanguageTag } from './formats.js';
import { checkSizes } from './size-limits.js';
import { unstorableText } from './text-safety.js';
import { toViolations } from './schema-violations.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface InputValidator {
  /**
   * The violations of `value` against the schema `id` (e.g. `Organization.create.json`): sizes
   * first, then, on what is within them, text that could not be stored and every other rule.
   */
  check(id: string, value: unknown): Violation[];
}

/** Compiles every schema in schemas/ once, at start. */
export function loadInputValidator(dir = SCHEMAS_DIR): InputValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
  addFormats(ajv);
  ajv.addFormat('cidr', isCidr);
  ajv.addFormat('bcp47', isLanguageTag);
  const compiled = new Map<string, ValidateFunction>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    compiled.set(file, ajv.compile(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))));
  }
  return {
    check(id, value) {
      const validate = compiled.get(id);
      if (!validate) throw new Error(`No schema ${id} in ${dir}`);
      const sizes = checkSizes(validate.schema as Record<string, unknown>, value);
      const rules = validate(sizes.bounded) ? [] : (validate.errors ?? []).filter((error) => !sizes.concernsReplaced(error));
      return [...toViolations(sizes.errors), ...unstorableText(sizes.bounded), ...toViolations(rules)];
    },
  };
}
