import { expect, type Locator, type Page } from '@playwright/test';

/** The batch queue (2+ files dropped together), found by role and name like the rest of the editor. */
export class BatchPanel {
  readonly queue: Locator;
  readonly stopButton: Locator;

  constructor(readonly page: Page) {
    const controls = page.getByRole('complementary', { name: 'Editor controls' });
    this.queue = controls.getByRole('list', { name: 'Batch queue' });
    this.stopButton = controls.getByRole('button', { name: 'Stop batch', exact: true });
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

  /** Clicks "Apply N steps to all" and waits until the batch is no longer running. */
  async applyToAll(steps: number): Promise<void> {
    const apply = this.page.getByRole('button', {
      name: `Apply ${steps} step${steps === 1 ? '' : 's'} to all`,
      exact: true,
    });
    await expect(apply).toBeEnabled();
    await apply.click();
    await expect(apply).toBeVisible({ timeout: 90_000 });
  }
}
