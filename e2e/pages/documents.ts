import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The open documents (tabs over the picture) and the saved session: whether a reload brings
 * this back, and the note after one that did.
 */
export class Documents {
  readonly tabs: Locator;
  readonly saveState: Locator;
  readonly restored: Locator;
  readonly startFresh: Locator;

  constructor(readonly page: Page) {
    this.tabs = page.getByRole('tablist', { name: 'Documents' });
    this.saveState = page.getByRole('status', { name: 'Session', exact: true });
    this.restored = page.getByRole('status', { name: 'Restored session', exact: true });
    this.startFresh = this.restored.getByRole('button', { name: 'Start fresh', exact: true });
  }

  tab(name: string): Locator {
    return this.tabs.getByRole('tab', { name, exact: true });
  }

  async show(name: string): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  closeButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Close ${name}`, exact: true });
  }

  /** The question closing a document with steps asks first. */
  closeQuestion(name: string): Locator {
    return this.page.getByRole('alertdialog', { name: `Close ${name}?`, exact: true });
  }

  /** Waits until what is shown is written to IndexedDB, so a reload brings it back. */
  async saved(): Promise<void> {
    await expect(this.saveState).toHaveText('Saved in this browser');
  }
}
