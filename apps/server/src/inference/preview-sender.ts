import type { PreviewImage, RgbaImage } from '@loupe/shared';
import { encodePreview } from '@loupe/runtime-node/image-codec';

type Send = (step: number, total: number, image: PreviewImage) => void;

/**
 * One run's previews on their way to the parent: encoded one at a time off the denoising loop,
 * and when steps outpace the encoder only the latest waiting one is kept (a preview is worth
 * showing only while it is the newest). `settled` is awaited before the run's answer, so no
 * preview ever follows it.
 */
export class PreviewSender {
  private waiting: { step: number; total: number; image: RgbaImage } | undefined;
  private encoding: Promise<void> | undefined;
  private dropped = false;

  constructor(private readonly send: Send) {}

  push(step: number, total: number, image: RgbaImage): void {
    if (this.dropped) return;
    this.waiting = { step, total, image };
    this.encoding ??= this.drain().finally(() => (this.encoding = undefined));
  }

  /** Resolves once every preview pushed so far has been sent (or replaced by a later one). */
  async settled(): Promise<void> {
    while (this.encoding) await this.encoding;
  }

  /** The run failed or was cancelled: nothing more is sent. */
  drop(): void {
    this.dropped = true;
    this.waiting = undefined;
  }

  private async drain(): Promise<void> {
    while (this.waiting) {
      const { step, total, image } = this.waiting;
      this.waiting = undefined;
      try {
        const encoded = await encodePreview(image);
        if (!this.dropped) this.send(step, total, encoded);
      } catch {
        // A preview that cannot be encoded is skipped: the run and its result do not depend on it.
      }
    }
  }
}
