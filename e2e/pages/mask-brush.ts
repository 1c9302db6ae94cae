import { expect, type Locator, type Page } from '@playwright/test';

/** A point of the picture, in image pixels. */
export interface ImagePoint {
  x: number;
  y: number;
}

/**
 * The mask brush as a person uses it: the painting area over the stage and the Mask section's
 * controls. Image points become screen points through the picture's own box on the stage, so a
 * stroke lands where it would under a finger at any zoom.
 */
export class MaskBrushPage {
  readonly area: Locator;
  readonly panel: Locator;
  readonly layer: Locator;

  constructor(readonly page: Page) {
    const canvas = page.getByRole('main', { name: 'Canvas' });
    this.area = canvas.getByRole('application', { name: 'Mask brush' });
    this.panel = page.getByRole('region', { name: 'Mask' });
    this.layer = canvas.locator('[data-mask-layer]');
  }

  /** Where image point `p` is on screen, from the original's box (`image` wide, as laid out). */
  async screenPoint(p: ImagePoint, imageWidth: number): Promise<ImagePoint> {
    const box = (await this.page
      .getByRole('main', { name: 'Canvas' })
      .getByRole('img', { name: 'Original image', exact: true })
      .boundingBox())!;
    const zoom = box.width / imageWidth;
    return { x: box.x + p.x * zoom, y: box.y + p.y * zoom };
  }

  /** A mouse stroke from `from` to `to` through the points between. */
  async drag(from: ImagePoint, to: ImagePoint, imageWidth: number): Promise<void> {
    const a = await this.screenPoint(from, imageWidth);
    const b = await this.screenPoint(to, imageWidth);
    await this.page.mouse.move(a.x, a.y);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x, b.y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** A one-finger stroke, as Chromium's touch input makes it (pointerType 'touch'). */
  async touchDrag(from: ImagePoint, to: ImagePoint, imageWidth: number): Promise<void> {
    const a = await this.screenPoint(from, imageWidth);
    const b = await this.screenPoint(to, imageWidth);
    const cdp = await this.page.context().newCDPSession(this.page);
    const touch = (
      type: 'touchStart' | 'touchMove' | 'touchEnd' | 'touchCancel',
      points: ImagePoint[],
    ) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: points.map((p, id) => ({ x: p.x, y: p.y, id })),
      });
    await touch('touchStart', [a]);
    for (let i = 1; i <= 8; i++)
      await touch('touchMove', [
        { x: a.x + ((b.x - a.x) * i) / 8, y: a.y + ((b.y - a.y) * i) / 8 },
      ]);
    await touch('touchEnd', []);
    await cdp.detach();
  }

  /** Two fingers moving apart from `at`: a pinch that zooms in. */
  async pinchOut(at: ImagePoint, imageWidth: number): Promise<void> {
    const c = await this.screenPoint(at, imageWidth);
    const cdp = await this.page.context().newCDPSession(this.page);
    const fingers = (spread: number) => [
      { x: c.x - spread, y: c.y, id: 0 },
      { x: c.x + spread, y: c.y, id: 1 },
    ];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(20) });
    for (const spread of [30, 45, 60])
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: fingers(spread),
      });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  /**
   * Which picture pixels the overlay tints, read from its canvas at the centre of each pixel's
   * block on screen: one byte a pixel, 1 where the tint shows. Lines up only if the overlay is
   * placed pixel for pixel over the picture.
   */
  async tinted(image: { width: number; height: number }): Promise<Uint8Array> {
    const raw = await this.layer.evaluate((el, { width, height }) => {
      const canvas = el.querySelector('canvas')!;
      const box = el.getBoundingClientRect();
      const at = canvas.getBoundingClientRect();
      const ctx = canvas.getContext('2d')!;
      const all = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const k = (box.width / width) * devicePixelRatio;
      const out: number[] = [];
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const cx = Math.floor((box.left - at.left) * devicePixelRatio + (x + 0.5) * k);
          const cy = Math.floor((box.top - at.top) * devicePixelRatio + (y + 0.5) * k);
          out.push(all[(cy * canvas.width + cx) * 4 + 3]! > 0 ? 1 : 0);
        }
      return out;
    }, image);
    return Uint8Array.from(raw);
  }

  async setFeather(px: number): Promise<void> {
    const slider = this.panel.getByRole('slider', { name: 'Feather', exact: true });
    await slider.fill(String(px));
    await expect(slider).toHaveValue(String(px));
  }
}

/**
 * Pixels within `radius` of the segment from `a` to `b` (pixel centres), plus `grow` around:
 * the test's own reckoning of what a round brush of that radius covers.
 */
export function capsule(
  size: { width: number; height: number },
  a: ImagePoint,
  b: ImagePoint,
  radius: number,
): Uint8Array {
  const out = new Uint8Array(size.width * size.height);
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const l2 = dx * dx + dy * dy;
  for (let y = 0; y < size.height; y++)
    for (let x = 0; x < size.width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const t = l2 ? Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / l2)) : 0;
      const d = Math.hypot(a.x + t * dx - px, a.y + t * dy - py);
      if (d <= radius) out[y * size.width + x] = 1;
    }
  return out;
}
