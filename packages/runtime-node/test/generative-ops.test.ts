import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeStep,
  parsePipeline,
  resolveGenerationParams,
  type DiffusionAssets,
  type ExecuteOptions,
  type ExecuteResult,
  type RgbaImage,
  type StepInput,
} from '@loupe/shared';
import { DiffusionSessions, SessionCache, SessionRunner, readDiffusionAssets } from '../src';
import { inspectDiffusionFolder } from '../src/diffusion';
// The generator that writes the fixtures lives with the other model tools.
import {
  tinyPipelineFixtures,
  type TinyPipelineFixtures,
} from '../../../tools/models/src/diffusion/fixtures';
import type { TinyPipelineId } from '../../../tools/models/src/diffusion/tiny-pipelines';

let fixtures: TinyPipelineFixtures;
let sessions: DiffusionSessions;
let runner: SessionRunner;
const assets = new Map<string, Promise<DiffusionAssets>>();

function assetsOf(id: string): Promise<DiffusionAssets> {
  let a = assets.get(id);
  if (!a) {
    const dir = fixtures.path(id as TinyPipelineId);
    a = inspectDiffusionFolder(dir).then((folder) => {
      if (folder.status !== 'ready') throw new Error(`${id}: ${folder.problem}`);
      return readDiffusionAssets(dir, folder);
    });
    assets.set(id, a);
  }
  return a;
}

beforeAll(() => {
  fixtures = tinyPipelineFixtures();
  sessions = new DiffusionSessions((id) => fixtures.path(id as TinyPipelineId));
  runner = new SessionRunner(
    new SessionCache(() => {
      throw new Error('no built-in models in this test');
    }),
    sessions,
  );
});
afterAll(() => sessions.close());

/** A step as a request would carry it, validated and resolved as the host does before queueing. */
async function step(op: StepInput['op'], model: string, params: Record<string, unknown>) {
  const parsed = parsePipeline([
    { op, params: { model, prompt: 'a red fox', steps: 3, ...params } },
  ]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return resolveGenerationParams(parsed.value[0]!, (await assetsOf(model)).info);
}

async function run(
  op: StepInput['op'],
  model: TinyPipelineId,
  params: Record<string, unknown> = {},
  image: RgbaImage | null = null,
  options: Partial<ExecuteOptions> = {},
): Promise<ExecuteResult> {
  return executeStep(image, await step(op, model, params), {
    runner,
    diffusionAssets: assetsOf,
    ...options,
  });
}

describe('generate', () => {
  it('makes a picture of the native size on optimum-fp32', async () => {
    const started = performance.now();
    const result = await run('generate', 'optimum-fp32', { seed: 1 });
    console.log('generate ms', performance.now() - started);
    expect([result.image.width, result.image.height]).toEqual([64, 64]);
    expect(result.generation?.seeds).toEqual([1]);
    expect(result.generation?.steps).toBe(3);
  });
});
