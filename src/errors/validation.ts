import { type ValidationError } from '@nestjs/common';
import { AppError } from './app-error.js';
import { type FieldError } from './error-codes.js';

/**
 * Rules about what kind of value a field holds. When one of them fails, the field's other rules (ranges, lengths,
 * patterns) say nothing useful ("limit must not be greater than 100" for limit=abc), so only these are reported.
 */
const KIND_RULES = new Set([
  'isInt',
  'isNumber',
  'isNumberString',
  'isString',
  'isBoolean',
  'isArray',
  'isObject',
  'isDate',
  'isDateString',
  'isISO8601',
]);

/** The messages of a field's failed rules: those about its kind alone when one of them failed. */
function ruleMessages(constraints: Record<string, string>): string[] {
  const kind = Object.entries(constraints).filter(([rule]) => KIND_RULES.has(rule));
  return (kind.length ? kind : Object.entries(constraints)).map(([, message]) => message);
}

/** Flattens class-validator's tree into `[{field: "items.0.quantity", message}]`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A required field left out is reported as missing, not as whichever of its rules happened to run first.
    if (
      (error.value === undefined || error.value === null) &&
      error.constraints &&
      !error.constraints.whitelistValidation
    ) {
      out.push({ field, message: `${field} is required` });
      continue;
    }
    for (const message of ruleMessages(error.constraints ?? {})) {
      out.push({ field, message: message.replace(/^property (\S+) should not exist$/, '$1 is not an allowed field') });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

export function validationExceptionFactory(errors: ValidationError[]): AppError {
  const fieldErrors = flattenValidationErrors(errors);
  const first = fieldErrors[0];
  return AppError.validation(first ? `Validation failed: ${first.message}` : 'Validation failed', fieldErrors);
}
