import { isOpaque, pngChunk, type RgbaImage } from '@loupe/shared';

/**
 * Lossless PNG of straight-alpha RGBA. Canvas encoders go through premultiplied storage
 * and round semi-transparent colours; the server must see exactly the pixels the browser
 * has (and a PNG download must keep them), so we write the file ourselves. The platform's
 * CompressionStream('deflate') emits the zlib stream PNG's IDAT expects.
 *
 * An opaque picture is written as RGB (colour type 2): a quarter fewer bytes to compress and
 * the same pixels. Otherwise RGBA (type 6), with colour 0 under every alpha 0 (nothing hides
 * there) and the straight colour of semi-transparent pixels kept exactly.
 */
export async function encodePng(image: RgbaImage): Promise<Blob> {
  const { width, height, data } = image;
  const opaque = isOpaque(image);
  const channels = opaque ? 3 : 4;
  const stride = width * channels;
  // Filter type 1 (Sub) per row: cheap and typically halves the size versus no filter.
  const raw = new Uint8Array((stride + 1) * height);
  const pixel = new Uint8Array(channels);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    raw[o] = 1;
    pixel.fill(0); // the "left" of the first pixel
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      const clear = !opaque && data[s + 3] === 0;
      const d = o + 1 + x * channels;
      for (let c = 0; c < channels; c++) {
        const v = clear ? 0 : data[s + c]!;
        raw[d + c] = (v - pixel[c]!) & 0xff;
        pixel[c] = v;
      }
    }
  }
  const idat = new Uint8Array(
    await new Response(
      new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate')),
    ).arrayBuffer(),
  );
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  // 8-bit, RGB or RGBA, deflate, adaptive filtering, no interlace
  ihdr.set([8, opaque ? 2 : 6, 0, 0, 0], 8);
  const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
  return new Blob(
    [
      signature,
      pngChunk('IHDR', ihdr),
      pngChunk('IDAT', idat),
      pngChunk('IEND', new Uint8Array(0)),
    ],
    {
      type: 'image/png',
    },
  );
}
