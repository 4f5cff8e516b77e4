import { ApiProperty } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';

/** The reflect-metadata key @ApiProperty writes (DECORATORS.API_MODEL_PROPERTIES in @nestjs/swagger). */
const SWAGGER_PROPERTY = 'swagger/apiModelProperties';

/** Keywords a validation decorator can state that a client needs to know; copied from the validators as they are. */
const RULES = [
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
] as const;

interface RuleSchema {
  type?: string;
  format?: string;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  [keyword: string]: unknown;
}

/**
 * Writes the rules the ValidationPipe enforces (class-validator decorators, read through class-validator-jsonschema)
 * into the @ApiProperty metadata of every validated class, before the document is built: bodies and query parameters
 * then state integer types, bounds, lengths, formats and patterns exactly as they are checked, and the two can never
 * drift apart. Runs once per process; a property without @ApiProperty stays undocumented (a deliberate choice there).
 */
export function documentValidationRules(): void {
  if (applied) return;
  applied = true;
  for (const target of validatedClasses()) {
    const proto = target.prototype as object;
    const schema = targetConstructorToSchema(target) as { properties?: Record<string, RuleSchema> };
    for (const [key, rules] of Object.entries(schema.properties ?? {})) {
      const existing = Reflect.getMetadata(SWAGGER_PROPERTY, proto, key) as { type?: unknown } | undefined;
      if (!existing) continue;
      const extra = stated(rules, existing.type);
      if (!Object.keys(extra).length) continue;
      // An inherited property (a subclass of a DTO): copied onto this class first, or @nestjs/swagger takes the type
      // from `design:type` for it (Object for `string | null`) instead of the parent's stated type.
      if (!Reflect.getOwnMetadata(SWAGGER_PROPERTY, proto, key))
        Reflect.defineMetadata(SWAGGER_PROPERTY, existing, proto, key);
      ApiProperty(extra)(proto, key);
    }
  }
}

let applied = false;

/** The OpenAPI 3.0 keywords (and an integer type) one property's validators imply. */
export function stated(rules: RuleSchema, documentedType: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of RULES) if (rules[k] !== undefined) out[k] = rules[k];
  // class-validator-jsonschema speaks JSON Schema 2019 here (numeric exclusive bounds); OpenAPI 3.0 wants booleans.
  if (typeof rules.exclusiveMinimum === 'number')
    Object.assign(out, { minimum: rules.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof rules.exclusiveMaximum === 'number')
    Object.assign(out, { maximum: rules.exclusiveMaximum, exclusiveMaximum: true });
  if (rules.format === 'email' || rules.format === 'uuid') out.format = rules.format;
  if (rules.format === 'url') out.format = 'uri';
  const numeric = documentedType === Number || documentedType === 'number' || documentedType === 'integer';
  if (rules.type === 'integer' && (numeric || !documentedType)) out.type = 'integer';
  return out;
}

/** Every class that carries class-validator metadata (DTOs, query classes, mapped types). */
function validatedClasses(): (new () => unknown)[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: unknown };
  // class-validator keeps them in a Map keyed by class; fail loudly at start-up if a release changes that.
  if (!(storage.validationMetadatas instanceof Map)) throw new Error('class-validator metadata storage changed shape');
  return [...(storage.validationMetadatas as Map<unknown, unknown>).keys()].filter(
    (t): t is new () => unknown => typeof t === 'function',
  );
}
