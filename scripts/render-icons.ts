/**
 * `npm run icons`: renders the app icons in `public/icons/` from the logo
 * `public/icons/icon.svg` (sharp, i.e. libvips + librsvg). The PNGs are
 * committed, so a build needs no image tool; run this after changing the logo.
 *
 * - `icon-<size>.png`: the logo as drawn (rounded square, transparent corners),
 *   manifest purpose `any`.
 * - `icon-maskable-<size>.png`: full-bleed background with the logo inside the
 *   maskable safe zone (the centred circle of 40 % radius, W3C Web App
 *   Manifest, "icon masks"), manifest purpose `maskable`.
 * - `apple-touch-icon.png`: 180 px, opaque (iOS fills transparency with black
 *   and rounds the corners itself), the maskable layout.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';

const ICONS_DIR = path.resolve(import.meta.dirname, '../public/icons');
const LOGO = readFileSync(path.join(ICONS_DIR, 'icon.svg'));
/** The logo's background colour, which fills the whole maskable icon. */
const BACKGROUND = '#0f766e';
/** Share of a maskable icon's side that the logo takes (its farthest mark stays inside the 40 % radius safe zone). */
const MASKABLE_LOGO_SHARE = 0.8;

/** A pipeline rasterising the logo at `sizePx` square, rendered from the vector at that size (no upscaling of pixels); add the output format. */
function logo(sizePx: number): Sharp {
  return sharp(LOGO, { density: (72 * sizePx) / 512 }).resize(sizePx, sizePx);
}

async function writeAny(sizePx: number): Promise<void> {
  await logo(sizePx)
    .png({ compressionLevel: 9 })
    .toFile(path.join(ICONS_DIR, `icon-${sizePx}.png`));
}

async function writeFullBleed(sizePx: number, file: string): Promise<void> {
  const logoPx = Math.round(sizePx * MASKABLE_LOGO_SHARE);
  const offset = Math.round((sizePx - logoPx) / 2);
  await sharp({ create: { width: sizePx, height: sizePx, channels: 3, background: BACKGROUND } })
    .composite([{ input: await logo(logoPx).png().toBuffer(), left: offset, top: offset }])
    .removeAlpha()
    .png({ compressionLevel: 9 })
    .toFile(path.join(ICONS_DIR, file));
}

for (const sizePx of [192, 512]) {
  await writeAny(sizePx);
  await writeFullBleed(sizePx, `icon-maskable-${sizePx}.png`);
}
await writeFullBleed(180, 'apple-touch-icon.png');
console.log(`icons written to ${ICONS_DIR}`);
