import { expect, type Locator, type Page } from '@playwright/test';
import { decode, type Pixels } from '../fixtures/images';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The stage: split overlay or side-by-side panes sharing one zoom and pan. */
export class CompareView {
  readonly stage: Locator;
  readonly splitPane: Locator;
  readonly splitSlider: Locator;
  readonly originalPane: Locator;
  readonly resultPane: Locator;
  readonly zoomLevel: Locator;
  readonly zoomIn: Locator;
  readonly actualSize: Locator;

  constructor(private readonly page: Page) {
    this.stage = page.getByRole('main', { name: 'Canvas' });
    this.splitPane = this.stage.getByRole('group', { name: 'Comparison', exact: true });
    this.splitSlider = this.stage.getByRole('slider', { name: 'Comparison split' });
    this.originalPane = this.stage.getByRole('group', { name: 'Original', exact: true });
    this.resultPane = this.stage.getByRole('group', { name: 'Result', exact: true });
    this.zoomLevel = this.stage.getByRole('status', { name: 'Zoom level' });
    this.zoomIn = this.stage.getByRole('button', { name: 'Zoom in', exact: true });
    this.actualSize = this.stage.getByRole('button', { name: 'Actual pixels (1:1)', exact: true });
  }

  async mode(name: 'Split' | 'Side by side'): Promise<void> {
    const radio = this.stage
      .getByRole('radiogroup', { name: 'Comparison mode' })
      .getByRole('radio', { name, exact: true });
    await radio.click();
    await expect(radio).toBeChecked();
  }

  /** Where the picture sits inside its pane, in CSS px relative to the pane's top-left. */
  async placement(pane: Locator, image: 'Original image' | 'Result image'): Promise<Box> {
    const paneBox = (await pane.boundingBox())!;
    const box = (await pane.getByRole('img', { name: image, exact: true }).boundingBox())!;
    return { x: box.x - paneBox.x, y: box.y - paneBox.y, width: box.width, height: box.height };
  }

  /**
   * What floats over the pictures in `pane` (its badges, the zoom toolbar), page coordinates,
   * grown by `margin` px for shadows.
   */
  async overlays(pane: Locator, margin = 24): Promise<Box[]> {
    const badges = await pane.getByText(/^(Original|Result)$/).all();
    const toolbar = this.zoomLevel.locator('..');
    const boxes = await Promise.all([...badges, toolbar].map((l) => l.boundingBox()));
    return boxes
      .filter((b): b is Box => b !== null)
      .map((b) => ({
        x: b.x - margin,
        y: b.y - margin,
        width: b.width + 2 * margin,
        height: b.height + 2 * margin,
      }));
  }

  /** What is on screen inside `locator`, decoded (device pixels; the config keeps DPR at 1). */
  async screenshot(locator: Locator): Promise<{ pixels: Pixels; box: Box }> {
    const box = (await locator.boundingBox())!;
    return { pixels: await decode(await this.page.screenshot({ clip: box })), box };
  }
}

/** The RGB at CSS position (x, y) of a screenshot taken of `box`. */
export function rgbAt(
  shot: { pixels: Pixels; box: Box },
  x: number,
  y: number,
): [number, number, number] {
  const px = Math.round(x - shot.box.x);
  const py = Math.round(y - shot.box.y);
  const i = (py * shot.pixels.width + px) * 4;
  return [shot.pixels.data[i]!, shot.pixels.data[i + 1]!, shot.pixels.data[i + 2]!];
}
