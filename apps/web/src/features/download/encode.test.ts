import { describe, expect, it } from 'vitest';
import { downloadName } from './encode';

describe('downloadName', () => {
  it('says what was done, in pipeline order, with the format’s extension', () => {
    expect(
      downloadName('photo.jpeg', [{ op: 'upscale', params: { model: 'slim', scale: 4 } }], 'png'),
    ).toBe('photo_upscale-slim-x4.png');
    expect(
      downloadName(
        'my cat.PNG',
        [
          {
            op: 'remove-background',
            params: { model: 'quint8', output: 'cutout', color: '#ffffff', blurRadius: 12 },
          },
          { op: 'invert', params: {} },
        ],
        'jpeg',
      ),
    ).toBe('my-cat_remove-background_invert.jpg');
    expect(downloadName('', [], 'webp')).toBe('image.webp');
  });

  it('names the background-removal output, so the four results never share a name', () => {
    const names = (['cutout', 'mask', 'color', 'blur'] as const).map((output) =>
      downloadName(
        'cat.png',
        [
          {
            op: 'remove-background',
            params: { model: 'quint8', output, color: '#ffffff', blurRadius: 12 },
          },
        ],
        'png',
      ),
    );
    expect(names).toEqual([
      'cat_remove-background.png',
      'cat_remove-background-mask.png',
      'cat_remove-background-color.png',
      'cat_remove-background-blur.png',
    ]);
  });
});
