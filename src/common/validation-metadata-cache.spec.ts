import { Type } from 'class-transformer';
import {
  getMetadataStorage,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

class Line {
  @IsString()
  productId!: unknown;

  @IsInt()
  @Min(1)
  quantity!: unknown;
}

class Base {
  @IsString()
  @MaxLength(5)
  name!: unknown;

  extra?: unknown;
}

class Order extends Base {
  @IsOptional()
  @IsString({ groups: ['admin'] })
  note?: unknown;

  @ValidateNested({ each: true })
  @Type(() => Line)
  items!: Line[];
}

function order(fields: Record<string, unknown>): Order {
  return Object.assign(new Order(), fields);
}

const inputs = [
  order({ name: 'ok', items: [Object.assign(new Line(), { productId: 'p', quantity: 1 })] }),
  order({ name: 'far too long', note: 3, items: [Object.assign(new Line(), { productId: 4, quantity: 0 })] }),
  order({ name: 5, stray: true, items: [] }),
];
const optionSets = [{}, { whitelist: true, forbidNonWhitelisted: true }, { groups: ['admin'] }, { always: true }];

/** What a caller sees of the errors: property, constraints and the nested ones. */
function shape(errors: ValidationError[]): unknown {
  return errors.map((e) => ({ property: e.property, constraints: e.constraints, children: shape(e.children ?? []) }));
}

function allAnswers(): unknown[] {
  return optionSets.flatMap((options) => inputs.map((input) => shape(validateSync(input, options))));
}

describe('validation rules, worked out once per class', () => {
  it('answers as class-validator does, reuses the worked-out rules, and sees a rule added later', () => {
    const expected = allAnswers();
    expect(JSON.stringify(expected)).toContain('maxLength');

    cacheValidationMetadata();
    expect(allAnswers()).toEqual(expected);
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Order, '', false, false);
    expect(storage.getTargetValidationMetadatas(Order, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    // Other options are other answers, not the cached ones.
    expect(storage.getTargetValidationMetadatas(Order, '', false, false, ['admin'])).not.toBe(first);

    // A rule given to the parent class after the child was validated: the child's next validation applies it.
    const valid = inputs[0];
    expect(validateSync(valid)).toEqual([]);
    IsInt()(Base.prototype, 'extra');
    valid.extra = 'not a number';
    expect(shape(validateSync(valid))).toEqual([
      { property: 'extra', constraints: { isInt: 'extra must be an integer number' }, children: [] },
    ]);
  });
});
