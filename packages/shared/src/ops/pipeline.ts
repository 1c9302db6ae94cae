import { z } from 'zod';
import type { Size } from '../image/rgba-image';
import { forbiddenKeyIssues } from '../api/forbidden-keys';
import { installHint } from '../models/install-hint';
import type { ModelId } from '../models/model-ids';
import { MODELS } from '../models/model-specs';
import { OPS, type OpParams } from './catalog';
import { OP_IDS, type OpId } from './op-ids';

export const MAX_PIPELINE_STEPS = 16;

/** A step as it arrives over the wire: params are validated against the op's schema later. */
export const StepInputSchema = z.strictObject({
  op: z.enum(OP_IDS),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type StepInput = z.input<typeof StepInputSchema>;

/** An ordered list of steps: a workflow. One step is the common case. */
export const PipelineInputSchema = z.array(StepInputSchema).min(1).max(MAX_PIPELINE_STEPS);

/** A validated step: params parsed by the op's own schema, defaults filled in. */
export type Step = { [K in OpId]: { op: K; params: OpParams<K> } }[OpId];

export interface FieldIssue {
  /** Dotted path from the request root, e.g. `steps.1.params.scale`. */
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

/** Zod issues as field issues; each unknown key is its own issue at its own path, so it is named. */
export function issuesFromZod(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
): FieldIssue[] {
  return error.issues.flatMap((i) => {
    const at = [...prefix, ...i.path.map((p) => String(p))];
    if (i.code === 'unrecognized_keys')
      return i.keys.map((key) => ({ path: [...at, key].join('.'), message: 'unknown field' }));
    return [{ path: at.join('.'), message: i.message }];
  });
}

/**
 * Validates steps against each op's schema and fills defaults.
 *
 * @example parsePipeline([{ op: 'upscale', params: { scale: 4 } }])
 *   // { ok: true, value: [{ op: 'upscale', params: { model: 'slim', scale: 4 } }] }
 */
export function parsePipeline(raw: unknown, pathPrefix = 'steps'): ParseResult<Step[]> {
  const forbidden = forbiddenKeyIssues(raw, [pathPrefix]);
  if (forbidden.length) return { ok: false, issues: forbidden };
  const shape = PipelineInputSchema.safeParse(raw);
  if (!shape.success) return { ok: false, issues: issuesFromZod(shape.error, [pathPrefix]) };
  const steps: Step[] = [];
  const issues: FieldIssue[] = [];
  shape.data.forEach((s, i) => {
    const parsed = OPS[s.op].params.strict().safeParse(s.params);
    if (parsed.success) steps.push({ op: s.op, params: parsed.data } as Step);
    else issues.push(...issuesFromZod(parsed.error, [pathPrefix, i, 'params']));
  });
  return issues.length ? { ok: false, issues } : { ok: true, value: steps };
}

export function stepModels(step: Step): readonly ModelId[] {
  return (OPS[step.op].models as (p: unknown) => readonly ModelId[])(step.params);
}

export function stepOutputSize(step: Step, input: Size): Size {
  return (OPS[step.op].outputSize as (s: Size, p: unknown) => Size)(input, step.params);
}

/** What is wrong with one step's params for an input of this size (see `OpSpec.inputIssues`). */
export function stepInputIssues(
  step: Step,
  input: Size,
  prefix: readonly (string | number)[],
): FieldIssue[] {
  const check = OPS[step.op].inputIssues as
    ((s: Size, p: unknown) => readonly { param: string; message: string }[]) | undefined;
  return (check?.(input, step.params) ?? []).map((i) => ({
    path: [...prefix, i.param].join('.'),
    message: i.message,
  }));
}

/**
 * Params that do not fit the picture each step receives, e.g. a crop past the edge of an
 * image a previous step shrank. Paths are `steps.<i>.params.<key>`, like schema issues.
 *
 * @example pipelineInputIssues([{ op: 'crop', params: { x: 0, y: 0, width: 50, height: 0 } }],
 *   { width: 40, height: 40 }) // [{ path: 'steps.0.params.width', message: 'x + width is 50, …' }]
 */
export function pipelineInputIssues(
  steps: readonly Step[],
  input: Size,
  pathPrefix = 'steps',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let size = input;
  steps.forEach((step, i) => {
    issues.push(...stepInputIssues(step, size, [pathPrefix, i, 'params']));
    size = stepOutputSize(step, size);
  });
  return issues;
}

/**
 * Steps whose model this install has not built, as field issues on the parameter that picks it
 * (`steps.0.params.task`), each saying how to add it. `installed` tells the manifest's ids.
 *
 * @example uninstalledModelIssues([{ op: 'restore', params: { task: 'derain' } }], () => false)
 *   // [{ path: 'steps.0.params.task', message: 'MAXIM deraining is not installed on this server: run `pnpm models` (…)' }]
 */
export function uninstalledModelIssues(
  steps: readonly Step[],
  installed: (id: ModelId) => boolean,
  pathPrefix = 'steps',
): FieldIssue[] {
  return steps.flatMap((step, i) =>
    stepModels(step)
      .filter((id) => !installed(id))
      .map((id) => ({
        path: [pathPrefix, i, 'params', OPS[step.op].modelParam]
          .filter((p) => p !== undefined)
          .join('.'),
        message: `${MODELS[id].title} is not installed on this server: ${installHint(id)}`,
      })),
  );
}

/** Sizes after each step; the last is the pipeline's output. */
export function pipelineSizes(steps: readonly Step[], input: Size): Size[] {
  const sizes: Size[] = [];
  let size = input;
  for (const step of steps) {
    size = stepOutputSize(step, size);
    sizes.push(size);
  }
  return sizes;
}

export function pipelineModels(steps: readonly Step[]): ModelId[] {
  return [...new Set(steps.flatMap(stepModels))];
}

/**
 * Short human description used in file names and history, e.g. `upscale-slim-x4_invert`.
 * Background removal names its output when it is not the default cutout
 * (`remove-background-mask`, `-color`, `-blur`), so the four results do not share a file name.
 */
export function describePipeline(steps: readonly Step[]): string {
  return steps.map(describeStep).join('_');
}

function describeStep(step: Step): string {
  switch (step.op) {
    case 'upscale':
      return `upscale-${step.params.model}-x${step.params.scale}`;
    case 'remove-background':
      return step.params.output === 'cutout' ? step.op : `${step.op}-${step.params.output}`;
    default:
      return step.op;
  }
}
