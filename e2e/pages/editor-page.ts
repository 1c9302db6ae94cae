import { expect, type Locator, type Page } from '@playwright/test';
import { decode, type Pixels } from '../fixtures/images';
import { GpuPanel } from './gpu-panel';

export type RunOn = 'Auto' | 'Browser' | 'Server';

export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * The Loupe editor as a person sees it: every control is found by its role and accessible
 * name (apps/web/README.md lists them), every wait is on visible state.
 */
export class EditorPage {
  readonly canvas: Locator;
  readonly controls: Locator;
  readonly imageDetails: Locator;
  readonly dimensions: Locator;
  readonly placement: Locator;
  readonly runButton: Locator;
  readonly cancelButton: Locator;
  readonly progress: Locator;
  readonly history: Locator;
  readonly undoButton: Locator;
  readonly redoButton: Locator;
  readonly downloadButton: Locator;
  readonly serverDot: Locator;
  readonly serverUnreachable: Locator;
  readonly gpu: GpuPanel;
  /** Offered instead of Run for an edit over this device's memory budget but within reason. */
  readonly runAnywayButton: Locator;
  /** The running stage's text, and the time left beside it ("about 3 s left" or "on browser"). */
  readonly stage: Locator;
  readonly eta: Locator;

  constructor(readonly page: Page) {
    this.canvas = page.getByRole('main', { name: 'Canvas' });
    this.controls = page.getByRole('complementary', { name: 'Editor controls' });
    this.imageDetails = page.getByLabel('Image details');
    this.dimensions = this.imageDetails.getByTestId('image-dimensions');
    this.placement = page.getByRole('status', { name: 'Placement' });
    this.runButton = this.controls.getByRole('button', { name: 'Run', exact: true });
    this.cancelButton = this.controls.getByRole('button', { name: 'Cancel', exact: true });
    this.progress = this.controls.getByRole('progressbar', { name: 'Progress' });
    this.history = this.controls.getByRole('list', { name: 'History' });
    this.undoButton = page.getByRole('button', { name: 'Undo', exact: true });
    this.redoButton = page.getByRole('button', { name: 'Redo', exact: true });
    this.downloadButton = this.controls.getByRole('button', { name: 'Download', exact: true });
    this.serverDot = page
      .getByRole('banner')
      .getByRole('status', { name: /^Server (ready|offline|starting)$/ });
    this.serverUnreachable = this.controls
      .getByRole('alert')
      .filter({ hasText: "The Loupe server can't be reached" });
    this.gpu = new GpuPanel(page);
    this.runAnywayButton = this.controls.getByRole('button', {
      name: 'Run anyway in this browser',
      exact: true,
    });
    this.stage = this.controls.getByTestId('run-stage');
    this.eta = this.controls.getByTestId('run-eta');
  }

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(baseUrl);
    await expect(this.page.getByRole('heading', { name: 'Drop an image to start' })).toBeVisible();
    // The device probe runs in the inference worker; placement says where runs go once it answers.
    await expect(this.placement).not.toContainText('Checking this device');
  }

  /**
   * Drops files on the page the way a drag from the desktop does: a real DataTransfer carrying
   * File objects, with dragenter/dragover/drop dispatched on the element under the pointer.
   */
  async dropFiles(
    files: UploadFile[],
    target: Locator = this.canvas,
    whileDragging?: () => Promise<void>,
  ): Promise<void> {
    const payload = files.map((f) => ({
      name: f.name,
      mimeType: f.mimeType,
      base64: f.buffer.toString('base64'),
    }));
    const dataTransfer = await this.page.evaluateHandle((items) => {
      const dt = new DataTransfer();
      for (const item of items) {
        const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], item.name, { type: item.mimeType }));
      }
      return dt;
    }, payload);
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await whileDragging?.();
    await target.dispatchEvent('drop', { dataTransfer });
    await dataTransfer.dispose();
  }

  /** Opens one image by drop and waits until the header shows it. */
  async open(file: UploadFile, size: { width: number; height: number }): Promise<void> {
    await this.dropFiles([file]);
    await expect(this.imageDetails).toContainText(file.name);
    await expect(this.dimensions).toHaveText(`${size.width} × ${size.height}`);
  }

  async chooseOperation(title: string): Promise<void> {
    await this.controls
      .getByRole('radiogroup', { name: 'Operation' })
      .getByRole('radio', { name: title, exact: true })
      .check();
  }

  async selectParam(label: string, option: string): Promise<void> {
    await this.controls
      .getByRole('combobox', { name: label, exact: true })
      .selectOption({ label: option });
  }

  async setSlider(label: string, value: number): Promise<void> {
    const slider = this.controls.getByRole('slider', { name: label, exact: true });
    await slider.fill(String(value));
    await expect(slider).toHaveValue(String(value));
  }

  async runOn(where: RunOn): Promise<void> {
    const radio = this.controls
      .getByRole('radiogroup', { name: 'Run on' })
      .getByRole('radio', { name: where, exact: true });
    await radio.check();
    await expect(radio).toBeChecked();
  }

  /**
   * Which engine browser runs try first (GPU panel). Needed to run WebGPU on a software adapter
   * (SwiftShader), where the placement policy would otherwise pick WASM.
   */
  async chooseBrowserEngine(engine: 'Let Loupe choose' | 'WebGPU' | 'WASM'): Promise<void> {
    await this.gpu.open();
    const radio = this.gpu.local
      .getByRole('radiogroup', { name: 'Browser engine' })
      .getByRole('radio', { name: engine, exact: true });
    await radio.check();
    await expect(radio).toBeChecked();
    await this.gpu.close();
  }

  historyStep(index: number, title: string): Locator {
    return this.history.getByRole('button', { name: `Step ${index}: ${title}`, exact: true });
  }

  /** Starts a run; returns once it is visibly running. */
  async startRun(): Promise<void> {
    await expect(this.runButton).toBeEnabled();
    await this.runButton.click();
    await expect(this.cancelButton).toBeVisible();
  }

  /** Runs and waits for step `index` to appear in the history, i.e. the result was committed. */
  async run(index: number, title: string, timeout = 90_000): Promise<void> {
    await expect(this.runButton).toBeEnabled();
    await this.runButton.click();
    await expect(this.historyStep(index, title)).toBeVisible({ timeout });
    await expect(this.runButton).toBeVisible();
  }

  /** Where and on which EP step `index` ran, as its history row says ("Browser · WEBGPU · …"). */
  async stepRanOn(index: number, title: string): Promise<string> {
    return (await this.historyStep(index, title).innerText()).replace(/\s+/g, ' ');
  }

  async chooseFormat(format: 'PNG' | 'WebP' | 'JPEG'): Promise<void> {
    await this.controls
      .getByRole('radiogroup', { name: 'Format' })
      .getByRole('radio', { name: format, exact: true })
      .check();
  }

  /** Clicks Download and decodes the saved file. */
  async download(): Promise<{ name: string; bytes: Buffer; pixels: Pixels }> {
    const saved = this.page.waitForEvent('download');
    await this.downloadButton.click();
    const download = await saved;
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    return { name: download.suggestedFilename(), bytes, pixels: await decode(bytes) };
  }

  /**
   * The picture a stage layer ("Original image", "Result image") shows at 1:1, read back from
   * its canvas. Layers draw only what their pane shows, at the view's scale, into a canvas the
   * size of the pane; at 1:1 each image pixel is one of its pixels. The picture must fit the pane.
   */
  async actualPixels(name: 'Original image' | 'Result image'): Promise<Pixels> {
    await this.canvas.getByRole('button', { name: 'Actual pixels (1:1)', exact: true }).click();
    return this.shownPixels(name);
  }

  /**
   * What a stage layer shows now, at the current zoom, read back from its canvas without
   * touching the page (so it can be read in the middle of a drag). The picture must fit the pane.
   */
  async shownPixels(name: 'Original image' | 'Result image'): Promise<Pixels> {
    const layer = this.canvas.getByRole('img', { name, exact: true }).first();
    // Busy while some of it is still drawn from a stand-in resolution.
    await expect(layer).toHaveAttribute('aria-busy', 'false');
    const raw = await layer.evaluate((el) => {
      const canvas = el.querySelector('canvas')!;
      const picture = el.getBoundingClientRect();
      const at = canvas.getBoundingClientRect();
      const [x, y, width, height] = [
        picture.left - at.left,
        picture.top - at.top,
        picture.width,
        picture.height,
      ].map((v) => Math.round(v * devicePixelRatio)) as [number, number, number, number];
      if (x < 0 || y < 0 || x + width > canvas.width || y + height > canvas.height)
        throw new Error(`the picture at ${x},${y} (${width}×${height}) is not all on its canvas`);
      const { data } = canvas.getContext('2d')!.getImageData(x, y, width, height);
      return { width, height, data: Array.from(data) };
    });
    return { width: raw.width, height: raw.height, data: Uint8Array.from(raw.data) };
  }

  /** An error toast (role alert) with this title. */
  errorNotice(title: string | RegExp): Locator {
    return this.page.getByRole('alert').filter({ hasText: title });
  }

  /** An info/success toast (role status) with this title. */
  notice(title: string | RegExp): Locator {
    return this.page.getByRole('status').filter({ hasText: title });
  }
}
