import { type ValidationError } from '@nestjs/common';
import { AppError } from './app-error.js';
import { type FieldError } from './error-codes.js';

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
    for (const message of Object.values(error.constraints ?? {})) {
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
