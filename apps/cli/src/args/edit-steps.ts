import { OPS, OP_IDS, isOpId, parsePipeline, type FieldIssue, type Step } from '@loupe/shared';
import { UsageError } from '../usage-error';
import { paramsFromPairs } from './params';
import { readPipelineFile } from './pipeline-file';

export interface StepFlags {
  op?: string;
  param: readonly string[];
  pipeline?: string;
  /** `--mask`: a picture or a folder of them, for a first step that takes a mask. */
  mask?: string;
}

/**
 * The steps `loupe edit` runs, validated with the shared pipeline schema (the server's): one op
 * from `--op`/`--param`, or a pipeline file. Every fault is a UsageError naming its field as the
 * user wrote it: `--param scale`, or `retouch.yaml: steps.1.params.scale`.
 */
export async function editSteps(flags: StepFlags): Promise<Step[]> {
  if (flags.op !== undefined && flags.pipeline !== undefined)
    throw new UsageError('give --op (with --param) or --pipeline, not both', '--op');
  if (flags.pipeline !== undefined) {
    if (flags.param.length)
      throw new UsageError(
        '--param goes with --op; a pipeline file holds its own params',
        '--param',
      );
    const raw = await readPipelineFile(flags.pipeline);
    return checked(
      parsePipeline(raw),
      (path) => `${flags.pipeline}: ${path}`,
      flags.mask !== undefined,
    );
  }
  if (flags.op === undefined) throw new UsageError('give --op OP or --pipeline FILE', '--op');
  if (!isOpId(flags.op))
    throw new UsageError(`unknown op '${flags.op}' (one of: ${OP_IDS.join(', ')})`, '--op');
  const parsed = parsePipeline([{ op: flags.op, params: paramsFromPairs(flags.param) }]);
  return checked(
    parsed,
    (path) => {
      if (path === 'steps.0.op') return '--op';
      const key = path.replace(/^steps\.0\.params\.?/, '');
      return key ? `--param ${key}` : '--param';
    },
    flags.mask !== undefined,
  );
}

function checked(
  parsed: ReturnType<typeof parsePipeline>,
  fieldOf: (path: string) => string,
  hasMask: boolean,
): Step[] {
  if (!parsed.ok) throw usageFrom(parsed.issues, fieldOf);
  parsed.value.forEach((step, i) => {
    const inputs = OPS[step.op].inputs;
    if (inputs.image === 'none')
      throw new UsageError(
        `${step.op} makes a new picture from a prompt: use \`loupe generate\``,
        fieldOf(`steps.${i}.op`),
      );
    if (inputs.mask === 'required' && !hasMask)
      throw new UsageError(
        `${step.op} needs a mask: --mask FILE (one for every input) or --mask DIR (one per input, at its relative path)`,
        '--mask',
      );
  });
  // Where the mask goes (first step only, its size) is the engine's check, as on the server.
  return parsed.value;
}

/** One error for all issues, named by the first (the one a script would fix first). */
export function usageFrom(
  issues: readonly FieldIssue[],
  fieldOf: (path: string) => string,
): UsageError {
  const lines = issues.map((i) => `${fieldOf(i.path)}: ${i.message}`);
  return new UsageError(lines.join('; '), fieldOf(issues[0]?.path ?? ''));
}
