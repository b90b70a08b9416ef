import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { figureMaker, type SectionResult } from '../report.js';
import type { Section } from '../section.js';

/** The built app (`npm run build`, which `npm run bench` runs first). */
const DIST = path.resolve(import.meta.dirname, '../../dist');
/** Target for the first load's JavaScript, gzipped, kB. */
const TARGET_INITIAL_JS_KB = 80;

/** One chunk in Vite's build manifest (`build.manifest`: `dist/.vite/manifest.json`). */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** Size of a built file as stored and as a server sends it gzipped (node:zlib, level 9), bytes. */
interface FileSize {
  file: string;
  rawBytes: number;
  gzipBytes: number;
}

function sizeOf(file: string): FileSize {
  const bytes = readFileSync(path.join(DIST, file));
  return { file, rawBytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

function readJson<T>(file: string): T {
  const full = path.join(DIST, file);
  if (!existsSync(full)) throw new Error(`${full} is missing: run npm run build first`);
  return JSON.parse(readFileSync(full, 'utf8')) as T;
}

/**
 * The JavaScript a first visit loads before anything else: the entry chunks
 * and, transitively, their static imports (`imports` in the build manifest);
 * dynamic imports (`dynamicImports`, e.g. ZXing, hls.js, qrcode) are left out.
 */
function initialChunks(manifest: Record<string, ManifestChunk>): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return [...seen].map((key) => manifest[key]!.file).filter((file) => file.endsWith('.js'));
}

/** The URLs of the service worker's precache list, read from the built `sw.js` (workbox-build's `{revision, url}` entries). */
function precachedFiles(): string[] {
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/"url":"([^"]+)"/g)].map((match) => match[1]!);
  if (urls.length === 0) throw new Error('no precache entries found in dist/sw.js');
  return urls;
}

const sum = (sizes: FileSize[], key: 'rawBytes' | 'gzipBytes') => sizes.reduce((total, size) => total + size[key], 0);

/**
 * The PWA's download sizes: the initial JavaScript (entry chunk
 * and its static imports, from `dist/.vite/manifest.json`) gzipped at level 9,
 * target ≤ 80 kB; the service worker's precache (every file an install
 * downloads); and each lazily loaded chunk. kB = 1000 bytes, as Vite prints.
 */
export const bundleSection: Section = {
  name: 'bundle',
  description: `built PWA: initial JS gzipped (target ≤ ${TARGET_INITIAL_JS_KB} kB), precache total, lazy chunks`,
  async run(): Promise<SectionResult> {
    const manifest = readJson<Record<string, ManifestChunk>>('.vite/manifest.json');
    const initial = initialChunks(manifest).map(sizeOf);
    const lazy = Object.values(manifest)
      .filter((chunk) => !chunk.isEntry && !initial.some((size) => size.file === chunk.file))
      .map((chunk) => sizeOf(chunk.file));
    const precache = precachedFiles().map(sizeOf);
    const figure = figureMaker('bundle');
    return {
      figures: [
        figure('initial JS, gzip -9', sum(initial, 'gzipBytes') / 1000, 'kB', TARGET_INITIAL_JS_KB),
        figure('initial JS, gzip -9', sum(initial, 'gzipBytes'), 'bytes'),
        figure('initial JS, uncompressed', sum(initial, 'rawBytes'), 'bytes'),
        figure('precache: files', precache.length, 'count'),
        figure('precache total, uncompressed', sum(precache, 'rawBytes') / 1000, 'kB'),
        figure('precache total, gzip -9', sum(precache, 'gzipBytes') / 1000, 'kB'),
        ...lazy.map((size) => figure(`lazy chunk ${size.file}, gzip -9`, size.gzipBytes / 1000, 'kB')),
      ],
      notes: [
        `initial JS = ${initial.map((size) => size.file).join(' + ')} (entry chunk and its static imports in dist/.vite/manifest.json).`,
        'gzip -9 per file with node:zlib, as a server compressing each response would send it; kB = 1000 bytes.',
      ],
    };
  },
};
