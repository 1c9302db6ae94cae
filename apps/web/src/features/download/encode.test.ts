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
});
