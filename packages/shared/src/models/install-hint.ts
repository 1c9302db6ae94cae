import { isPermissive } from './licenses';
import type { ModelId } from './model-ids';
import { MODELS } from './model-specs';

/**
 * How to add a model this install lacks, in the words the API's 400s and the editor's disabled
 * options show. Every catalog model is built by `pnpm models`; a smaller build is a choice (a
 * MAXIM subset with `--maxim=`, no copyleft weights with `--permissive-only`).
 *
 * @example installHint('maxim-deraining') // 'run `pnpm models` (all seven MAXIM tasks, or name it in --maxim=deraining,…)'
 */
export function installHint(id: ModelId): string {
  const spec = MODELS[id];
  if (spec.family === 'maxim')
    return `run \`pnpm models\` (all seven MAXIM tasks, or name it in --maxim=${id.slice('maxim-'.length)},…)`;
  if (!isPermissive(spec.license))
    return `run \`pnpm models\` without --permissive-only (its weights are ${spec.license})`;
  return 'run `pnpm models`';
}
