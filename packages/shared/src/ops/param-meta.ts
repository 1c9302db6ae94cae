import type { z } from 'zod';

/**
 * UI hints carried on each parameter schema. They travel through `z.toJSONSchema`
 * (as `title`, `description` and `x-*` keys) so the web app's parameter panel and the
 * OpenAPI docs are generated from the same objects the server validates with.
 */
export interface ParamMeta {
  title: string;
  description?: string;
  'x-unit'?: string;
  'x-step'?: number;
  'x-control'?: 'slider' | 'select' | 'toggle' | 'color';
  /** Labels for enum values, in the user's words. */
  'x-options'?: Record<string, string>;
  /** Show this control only when another parameter has one of these values. */
  'x-visible-when'?: Record<string, readonly (string | number | boolean)[]>;
}

export function param<T extends z.ZodType>(schema: T, meta: ParamMeta): T {
  return schema.meta(meta as unknown as Record<string, unknown>) as T;
}
