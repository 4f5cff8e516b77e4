import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { AppError } from './app-error.js';

/** Deeper than any request we accept; stops recursive validators and transformers from exhausting the stack. */
export const MAX_INPUT_DEPTH = 16;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Refuses, before validation, input no column or validator can take: NUL characters (PostgreSQL text cannot hold
 * them), unpaired UTF-16 surrogates (not Unicode, cannot be stored as UTF-8) and structures nested absurdly deep.
 * Runs on bodies, query strings and path parameters.
 */
@Injectable()
export class InputShapePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problem = findProblem(value, metadata.data ?? '');
    if (problem) throw AppError.validation(problem.message, [problem]);
    return value;
  }
}

export function findProblem(root: unknown, rootField = ''): { field: string; message: string } | undefined {
  // Iterative on purpose: the input it guards against is the input that would overflow a recursive walk.
  const stack: [unknown, string, number][] = [[root, rootField, 0]];
  while (stack.length) {
    const [value, field, depth] = stack.pop() as [unknown, string, number];
    const name = field || 'body';
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: name, message: `${name} must not contain NUL characters` };
      if (LONE_SURROGATE.test(value)) return { field: name, message: `${name} is not valid Unicode text` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    if (depth >= MAX_INPUT_DEPTH)
      return { field: name, message: `${name} nests deeper than ${MAX_INPUT_DEPTH} levels` };
    for (const [key, child] of Object.entries(value)) {
      const path = field ? `${field}.${key}` : key;
      if (key.includes('\u0000') || LONE_SURROGATE.test(key))
        return { field: path, message: 'field names must be valid Unicode text without NUL characters' };
      stack.push([child, path, depth + 1]);
    }
  }
  return undefined;
}
