import type { BrowserEp, InputMemo, ModelId, TensorData } from '@loupe/shared';

type Result = Readonly<Record<string, TensorData>>;

/**
 * What runs in this worker kept of their input pictures (ISNet's matte), by the page's key for
 * the picture and the EP that computed it, so a new background mode on the same picture only
 * recomposites. Least recently used goes first: ISNet's matte is 4 MiB (1024² floats), so the
 * default keeps 32 MiB at most. It lives as long as the worker, like the sessions.
 *
 * @example const memo = memos.forRun(req.inputKey, 'wasm'); // undefined when the page sent no key
 * await executePipeline(image, steps, { runner, inputMemo: memo });
 */
export class InputMemoStore {
  private readonly entries = new Map<string, Result>();

  constructor(private readonly capacity = 8) {}

  /** The memo a run on picture `inputKey` reads and fills. */
  forRun(inputKey: string | undefined, ep: BrowserEp): InputMemo | undefined {
    return inputKey === undefined ? undefined : this.memo(inputKey, ep, true);
  }

  /**
   * The memo a preview of picture `inputKey` reads. It never fills it: a preview runs on a shrunk
   * copy, and a matte of the copy is not the picture's (the commit's pixels would change).
   */
  forPreview(inputKey: string | undefined, ep: BrowserEp): InputMemo | undefined {
    return inputKey === undefined ? undefined : this.memo(inputKey, ep, false);
  }

  get size(): number {
    return this.entries.size;
  }

  private memo(inputKey: string, ep: BrowserEp, fills: boolean): InputMemo {
    const key = (model: ModelId) => `${ep}\u0000${model}\u0000${inputKey}`;
    return {
      get: (model) => {
        const k = key(model);
        const kept = this.entries.get(k);
        if (kept) {
          this.entries.delete(k);
          this.entries.set(k, kept);
        }
        return kept;
      },
      set: (model, result) => {
        if (!fills) return;
        const k = key(model);
        this.entries.delete(k);
        this.entries.set(k, result);
        for (const oldest of this.entries.keys()) {
          if (this.entries.size <= this.capacity) break;
          this.entries.delete(oldest);
        }
      },
    };
  }
}
