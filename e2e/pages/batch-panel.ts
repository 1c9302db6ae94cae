import { expect, type Locator, type Page } from '@playwright/test';
import { readZip, type ZipEntry } from '../fixtures/zip';

/** The batch queue (2+ files dropped together), found by role and name like the rest of the editor. */
export class BatchPanel {
  readonly queue: Locator;
  readonly stopButton: Locator;
  readonly downloadAllButton: Locator;
  readonly recipe: Locator;

  constructor(readonly page: Page) {
    const controls = page.getByRole('complementary', { name: 'Editor controls' });
    this.queue = controls.getByRole('list', { name: 'Batch queue' });
    this.stopButton = controls.getByRole('button', { name: 'Stop batch', exact: true });
    this.downloadAllButton = controls.getByRole('button', { name: 'Download all', exact: true });
    this.recipe = controls.getByTestId('batch-recipe');
  }

  item(fileName: string): Locator {
    return this.queue.getByRole('listitem', { name: fileName, exact: true });
  }

  /** "Server — this device has no hardware WebGPU (…)", with `data-where` on it. */
  placement(fileName: string): Locator {
    return this.item(fileName).getByTestId('batch-placement');
  }

  status(fileName: string): Locator {
    return this.item(fileName).getByTestId('batch-status');
  }

  /** "2 steps": how many steps the file's own document shows. */
  steps(fileName: string): Locator {
    return this.item(fileName).getByTestId('batch-steps');
  }

  /** Why a file failed, in full. */
  error(fileName: string): Locator {
    return this.item(fileName).getByTestId('batch-error');
  }

  retryButton(fileName: string): Locator {
    return this.item(fileName).getByRole('button', { name: `Retry ${fileName}`, exact: true });
  }

  applyButton(steps: number): Locator {
    return this.page.getByRole('button', {
      name: `Apply ${steps} step${steps === 1 ? '' : 's'} to all`,
      exact: true,
    });
  }

  /** Opens a file of the batch in the editor. */
  async open(fileName: string): Promise<void> {
    await this.item(fileName).getByRole('button', { name: fileName, exact: true }).click();
    await expect(this.status(fileName)).toHaveText('Open');
  }

  /** Clicks "Apply N steps to all" and waits until the batch is no longer running. */
  async applyToAll(steps: number): Promise<void> {
    const apply = this.applyButton(steps);
    await expect(apply).toBeEnabled();
    await apply.click();
    await expect(apply).toBeVisible({ timeout: 90_000 });
  }

  /** Clicks "Download all" and reads the zip it saves. */
  async downloadAll(): Promise<{ name: string; entries: ZipEntry[] }> {
    const saved = this.page.waitForEvent('download');
    await this.downloadAllButton.click();
    const download = await saved;
    const { readFile } = await import('node:fs/promises');
    return {
      name: download.suggestedFilename(),
      entries: readZip(await readFile(await download.path())),
    };
  }
}
