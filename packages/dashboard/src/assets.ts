import { readFile } from 'node:fs/promises';

/** One file the page needs, ready to send. */
export interface Asset {
  type: string;
  body: Buffer;
}

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The page's files, shipped in the package (dist/web, built with the
 * package: the page needs nothing from the internet), read once.
 */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const [path, file] of Object.entries(FILES)) {
    const body = await readFile(new URL(`./web/${file}`, import.meta.url));
    assets.set(path, { type: TYPES[file.split('.').pop()!], body });
  }
  return assets;
}
