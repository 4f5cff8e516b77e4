import { AppError } from '../errors/app-error.js';

/**
 * The fields a PATCH really sets: undefined ones dropped; null refused for fields that cannot be empty
 * (PartialType makes every field optional, and class-validator's IsOptional lets null through).
 */
export function patchFields<T extends object>(dto: T, required: readonly (keyof T)[]): Partial<T> {
  const errors = required
    .filter((key) => dto[key] === null)
    .map((key) => ({ field: String(key), message: `${String(key)} cannot be null` }));
  if (errors.length) throw AppError.validation(errors[0].message, errors);
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}
