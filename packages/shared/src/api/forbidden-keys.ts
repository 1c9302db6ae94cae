import type { FieldIssue } from '../ops/pipeline';

/** Keys that reach or replace an object's prototype when a parsed value is copied or merged. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Every forbidden key anywhere in a parsed JSON value, as field issues with their paths.
 * `JSON.parse('{"__proto__":{"radius":1000}}')` makes an own `__proto__` key that a schema's
 * copy would turn into a prototype (and so silently drop): such input is refused by name.
 * Iterative, so deeply nested input cannot overflow the stack.
 *
 * @example forbiddenKeyIssues({ params: { __proto__: {} } }) // after JSON.parse
 *   // [{ path: 'params.__proto__', message: 'forbidden key `__proto__`' }]
 */
export function forbiddenKeyIssues(
  value: unknown,
  prefix: readonly (string | number)[] = [],
): FieldIssue[] {
  // Paths are parent links, joined only for a hit: copying arrays per level would make deep
  // input quadratic.
  type Path = { key: string; parent: Path | undefined } | undefined;
  const join = (path: Path): string => {
    const keys: string[] = [];
    for (let p = path; p; p = p.parent) keys.push(p.key);
    return [...prefix.map(String), ...keys.reverse()].join('.');
  };
  const issues: FieldIssue[] = [];
  const stack: { value: unknown; path: Path }[] = [{ value, path: undefined }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    for (const key of Object.keys(v)) {
      const at = { key, parent: path };
      if (FORBIDDEN.has(key)) issues.push({ path: join(at), message: `forbidden key \`${key}\`` });
      else stack.push({ value: (v as Record<string, unknown>)[key], path: at });
    }
  }
  return issues;
}
