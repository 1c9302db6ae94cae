/* global URL, Buffer */
// The install icons in public/icons, drawn from the header's logo (a loupe: ring and handle,
// src/app/Header.tsx) and rasterised with sharp. Committed; run again after changing the logo:
//   node apps/web/scripts/make-icons.mjs
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
// sharp is the server's dependency, not the web app's (as in e2e/fixtures/images.ts).
const sharp = createRequire(resolve(here, '../../server/package.json'))('sharp');
const out = resolve(here, '../public/icons');
mkdirSync(out, { recursive: true });

const BACKGROUND = '#18181b';
const ACCENT = '#818cf8';

/**
 * The logo's ring and handle (32-unit grid, spanning 2.75–28.75) scaled so the glyph covers
 * `glyph` of the icon: most of it for a plain icon; for a maskable one, inside the centre
 * circle of 80% that every platform's mask keeps.
 */
function svg(size, { glyph, rounded }) {
  const scale = (size * glyph) / 26;
  const offset = size / 2 - 15.75 * scale;
  const radius = rounded ? size * 0.22 : 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="${radius}" fill="${BACKGROUND}"/>
  <g transform="translate(${offset} ${offset}) scale(${scale})" fill="none" stroke="${ACCENT}" stroke-width="3.5" stroke-linecap="round">
    <circle cx="13" cy="13" r="8.5"/>
    <path d="M19.5 19.5 27 27"/>
  </g>
</svg>`;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, glyph: 0.66, rounded: true },
  { file: 'icon-512.png', size: 512, glyph: 0.66, rounded: true },
  { file: 'maskable-512.png', size: 512, glyph: 0.5, rounded: false },
];

for (const { file, size, ...style } of ICONS) {
  await sharp(Buffer.from(svg(size, style)))
    .png({ compressionLevel: 9, palette: true })
    .toFile(resolve(out, file));
  console.log('wrote', file);
}
