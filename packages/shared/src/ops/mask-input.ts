import type { Size } from '../image/rgba-image';
import { OPS } from './catalog';
import type { FieldIssue, Step } from './pipeline';

/**
 * What is wrong with a request's mask for its pipeline, before anything is decoded: any op whose
 * spec has `inputs.mask` reads the run's mask (inpaint, erase), so it must be the first step and
 * get a mask the input's size; a pipeline whose first step takes none refuses one, rather than
 * ignoring what the caller meant to matter. Empty masks are the op's to judge (it has the bytes).
 *
 * @example pipelineMaskIssues([{ op: 'blur', params: { radius: 2 } }], { width: 8, height: 8 }, { width: 8, height: 8 })
 *   // [{ path: 'mask', message: 'blur takes no mask' }]
 */
export function pipelineMaskIssues(
  steps: readonly Step[],
  input: Size,
  mask: Size | undefined,
  field = 'mask',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const first = steps[0];
  steps.forEach((step, i) => {
    if (i > 0 && OPS[step.op].inputs.mask)
      issues.push({
        path: `steps.${i}.op`,
        message: `${step.op} reads the request's mask, so it must be the first step`,
      });
  });
  const wants = first ? OPS[first.op].inputs.mask : undefined;
  if (!mask) {
    if (wants === 'required')
      issues.push({ path: field, message: `required: ${first!.op} changes only where it is` });
  } else if (!wants) {
    issues.push({ path: field, message: `${first?.op ?? 'this edit'} takes no mask` });
  } else if (mask.width !== input.width || mask.height !== input.height) {
    issues.push({
      path: field,
      message: `is ${mask.width}×${mask.height}; must be ${input.width}×${input.height}, the image's size`,
    });
  }
  return issues;
}
