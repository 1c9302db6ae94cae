import { expect, type Locator, type Page } from '@playwright/test';
import type { EditorPage } from './editor-page';

/** One denoising preview as the stage showed it: its badge, a digest of its pixels, its box. */
export interface SeenPreview {
  badge: string;
  digest: string;
  box: { x: number; y: number; width: number; height: number };
}

/**
 * The prompt panel (features/generate) and the generative run over the canvas, by role and
 * accessible name as apps/web/README.md lists them.
 */
export class PromptPanel {
  readonly section: Locator;
  readonly models: Locator;
  readonly prompt: Locator;
  readonly negativePrompt: Locator;
  readonly tokens: Locator;
  readonly seed: Locator;
  readonly lockSeed: Locator;
  readonly noModels: Locator;
  /** Step n/N, time left and Cancel over the canvas while a generative run is in flight. */
  readonly stageProgress: Locator;
  readonly cancelGeneration: Locator;

  constructor(
    readonly page: Page,
    readonly editor: EditorPage,
  ) {
    this.section = editor.controls.getByRole('region', { name: 'Prompt' });
    this.models = this.section.getByRole('radiogroup', { name: 'Diffusion model' });
    this.prompt = this.section.getByRole('textbox', { name: 'Prompt', exact: true });
    this.negativePrompt = this.section.getByRole('textbox', { name: 'Negative prompt' });
    this.tokens = this.section.getByTestId('token-count').first();
    this.seed = this.section.getByRole('spinbutton', { name: 'Seed' });
    this.lockSeed = this.section.getByRole('button', { name: 'Lock seed' });
    this.noModels = this.section.getByRole('region', { name: 'No diffusion model' });
    this.stageProgress = editor.canvas.getByRole('status', { name: 'Generation progress' });
    this.cancelGeneration = this.stageProgress.getByRole('button', { name: 'Cancel generation' });
  }

  /** From the first screen: the empty state's own way in. */
  async startFromNothing(): Promise<void> {
    await this.page.getByRole('button', { name: 'Generate from a prompt' }).click();
    await expect(this.section).toBeVisible();
  }

  /** A fixed seed, locked so every Run uses it. */
  async fixSeed(seed: number): Promise<void> {
    await this.seed.fill(String(seed));
    if ((await this.lockSeed.getAttribute('aria-pressed')) !== 'true') await this.lockSeed.click();
    await expect(this.lockSeed).toHaveAttribute('aria-pressed', 'true');
    await expect(this.seed).toHaveValue(String(seed));
  }

  async size(width: number, height: number): Promise<void> {
    await this.editor.setSlider('Width', width);
    await this.editor.setSlider('Height', height);
  }

  /**
   * Starts recording, in the page, every denoising preview the stage shows: on each change of
   * the result pane's badge to a new `Preview · step n/N`, once the layer has drawn it (two
   * frames later), a digest of its canvas and the picture's box. Driven by the page's own
   * mutations, so it sees previews however fast they come.
   */
  async recordPreviews(): Promise<void> {
    await this.page.evaluate(() => {
      const seen: SeenPreview[] = [];
      (window as unknown as { __previews: SeenPreview[] }).__previews = seen;
      const stage = document.querySelector('[data-stage]')!;
      let last = '';
      const read = (badge: string) => {
        const layer = stage.querySelector<HTMLElement>('[aria-label="Result image"]');
        const canvas = layer?.querySelector('canvas');
        if (!layer || !canvas) return;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let h = 2166136261;
        for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 16777619);
        const r = layer.getBoundingClientRect();
        seen.push({
          badge,
          digest: (h >>> 0).toString(16),
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
        });
      };
      new MutationObserver(() => {
        const badge = [...stage.querySelectorAll('span')]
          .map((s) => s.textContent ?? '')
          .find((t) => /^(Preview · step \d+\/\d+|Result)$/.test(t));
        if (!badge || badge === last) return;
        last = badge;
        requestAnimationFrame(() => requestAnimationFrame(() => read(badge)));
      }).observe(stage, { subtree: true, childList: true, characterData: true });
    });
  }

  async previewsSeen(): Promise<SeenPreview[]> {
    return this.page.evaluate(
      () => (window as unknown as { __previews: SeenPreview[] }).__previews,
    );
  }
}
