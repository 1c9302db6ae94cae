import { expect, type Locator, type Page } from '@playwright/test';

/** The GPU status slide-over: this browser's adapter on one side, the server's EP and models on the other. */
export class GpuPanel {
  readonly root: Locator;
  readonly local: Locator;
  readonly server: Locator;
  readonly offloadButton: Locator;
  readonly releaseButton: Locator;
  readonly serverModels: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByRole('complementary', { name: 'GPU status' });
    this.local = this.root.getByRole('region', { name: 'This browser' });
    this.server = this.root.getByRole('region', { name: 'Server' });
    this.offloadButton = this.server.getByRole('button', { name: 'Offload', exact: true });
    this.releaseButton = this.server.getByRole('button', { name: 'Release', exact: true });
    this.serverModels = this.server.getByRole('table', { name: 'Server models' });
  }

  async open(): Promise<void> {
    if (await this.root.isVisible()) return;
    await this.page.getByRole('banner').getByRole('button', { name: 'GPU status' }).click();
    await expect(this.root).toBeVisible();
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close GPU status' }).click();
    await expect(this.root).toBeHidden();
  }

  /** The value next to a term ("Adapter", "Execution provider") in one of the panel's lists. */
  value(section: Locator, term: string): Locator {
    return section
      .locator('dt', { hasText: new RegExp(`^${term}$`) })
      .locator('xpath=following-sibling::dd[1]');
  }

  /** The "Where" cell of a model row in the server's table ("On GPU", "In RAM", "Unloaded"). */
  residency(modelId: string): Locator {
    return this.serverModels.getByRole('row').filter({ hasText: modelId }).getByRole('cell').nth(1);
  }

  /** The "Idle" cell of a model row in the server's table ("12 s", "Released", "—"). */
  idle(modelId: string): Locator {
    return this.serverModels.getByRole('row').filter({ hasText: modelId }).getByRole('cell').nth(2);
  }
}
