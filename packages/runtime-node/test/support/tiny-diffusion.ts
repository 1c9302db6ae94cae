import { afterAll, beforeAll } from 'vitest';
import type { DiffusionAssets } from '@loupe/shared';
import { DiffusionSessions, SessionCache, SessionRunner, readDiffusionAssets } from '../../src';
import { inspectDiffusionFolder } from '../../src/diffusion';
// The generator that writes the fixtures lives with the other model tools.
import {
  tinyPipelineFixtures,
  type TinyPipelineFixtures,
} from '../../../../tools/models/src/diffusion/fixtures';
import type { TinyPipelineId } from '../../../../tools/models/src/diffusion/tiny-pipelines';

export interface TinyDiffusion {
  /** The CPU runner over the tiny pipelines' sessions (no built-in models). */
  readonly runner: SessionRunner;
  readonly fixtures: TinyPipelineFixtures;
  readonly sessions: DiffusionSessions;
  /** A folder's assets (tokenizer, configs), read once per test file. */
  assetsOf(id: string): Promise<DiffusionAssets>;
}

/**
 * The tiny random-weight pipelines on onnxruntime-node for one test file: written at `beforeAll`,
 * their sessions closed at `afterAll`. Read the fields inside tests, not at collection.
 */
export function useTinyDiffusion(): TinyDiffusion {
  let fixtures: TinyPipelineFixtures | undefined;
  let sessions: DiffusionSessions | undefined;
  let runner: SessionRunner | undefined;
  const assets = new Map<string, Promise<DiffusionAssets>>();
  beforeAll(() => {
    const f = tinyPipelineFixtures();
    fixtures = f;
    sessions = new DiffusionSessions((id) => f.path(id as TinyPipelineId));
    runner = new SessionRunner(
      new SessionCache(() => {
        throw new Error('no built-in models in this test');
      }),
      sessions,
    );
  });
  afterAll(() => sessions?.close());
  return {
    get runner() {
      return runner!;
    },
    get fixtures() {
      return fixtures!;
    },
    get sessions() {
      return sessions!;
    },
    assetsOf(id) {
      let a = assets.get(id);
      if (!a) {
        const dir = fixtures!.path(id as TinyPipelineId);
        a = inspectDiffusionFolder(dir).then((folder) => {
          if (folder.status !== 'ready') throw new Error(`${id}: ${folder.problem}`);
          return readDiffusionAssets(dir, folder);
        });
        assets.set(id, a);
      }
      return a;
    },
  };
}
