// The real Loupe web app, served by the real server, driven as a person drives it: every control
// found by its role and accessible name (apps/web/README.md), every wait on what the page shows.
import type { Locator, Page } from '@playwright/test';

export interface AppFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

export class LoupeApp {
  readonly controls: Locator;
  readonly placement: Locator;
  readonly dimensions: Locator;

  constructor(readonly page: Page) {
    this.controls = page.getByRole('complementary', { name: 'Editor controls' });
    this.placement = page.getByRole('status', { name: 'Placement' });
    this.dimensions = page.getByLabel('Image details').getByTestId('image-dimensions');
  }

  /** Loads the app and waits for the device probe (placement stops saying "Checking"). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { name: 'Drop an image to start' }).waitFor();
    await this.page
      .getByRole('status', { name: 'Placement' })
      .filter({ hasNotText: 'Checking this device' })
      .waitFor();
  }

  /** Opens a file through the picker's input and waits until the header shows its size. */
  async upload(file: AppFile, width: number, height: number, timeout = 120_000): Promise<void> {
    await this.page.getByLabel('Choose image files').setInputFiles(file);
    await this.dimensions.filter({ hasText: `${width} × ${height}` }).waitFor({ timeout });
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

  async runOn(where: 'Auto' | 'Browser' | 'Server'): Promise<void> {
    await this.controls
      .getByRole('radiogroup', { name: 'Run on' })
      .getByRole('radio', { name: where, exact: true })
      .check();
  }

  /** The engine browser runs try first, chosen in the GPU panel. */
  async browserEngine(engine: 'Let Loupe choose' | 'WebGPU' | 'WASM'): Promise<void> {
    const panel = this.page.getByRole('complementary', { name: 'GPU status' });
    await this.page.getByRole('banner').getByRole('button', { name: 'GPU status' }).click();
    await panel
      .getByRole('region', { name: 'This browser' })
      .getByRole('radiogroup', { name: 'Browser engine' })
      .getByRole('radio', { name: engine, exact: true })
      .check();
    await panel.getByRole('button', { name: 'Close GPU status' }).click();
    await panel.waitFor({ state: 'hidden' });
  }

  /**
   * Clicks Run and waits until step `index` is in the history and the result (`width` wide) is
   * drawn; an error notice instead ends the wait with its text.
   */
  async run(index: number, title: string, width: number, timeout: number): Promise<string> {
    await this.controls.getByRole('button', { name: 'Run', exact: true }).click();
    const step = this.controls
      .getByRole('list', { name: 'History' })
      .getByRole('button', { name: `Step ${index}: ${title}`, exact: true });
    const failure = this.page
      .getByRole('alert')
      .filter({ hasNotText: "The Loupe server can't be reached" });
    await step.or(failure).first().waitFor({ timeout });
    if (await failure.count())
      throw new Error(`the run failed: ${await failure.first().innerText()}`);
    // The result layer has drawn the whole view (not aria-busy) and the header shows its size.
    await this.page.waitForFunction(
      (w) =>
        document
          .querySelector('[role="img"][aria-label="Result image"]')
          ?.getAttribute('aria-busy') === 'false' &&
        (document.querySelector('[data-testid="image-dimensions"]')?.textContent ?? '').includes(
          `→ ${w} ×`,
        ),
      width,
      { timeout },
    );
    return (await step.innerText()).replace(/\s+/g, ' ');
  }
}
