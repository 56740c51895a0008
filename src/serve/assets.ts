/**
 * The editor's static files, read once at startup from the package's dist/web into memory. A
 * request is answered from this fixed list by exact name: no part of a URL ever reaches the file
 * system.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../paths.js';

export interface Asset {
  body: Buffer;
  /** The same, gzip-compressed once at startup (text files only). */
  gzip?: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json; charset=utf-8',
};

export const WEB_DIR = join(PACKAGE_ROOT, 'dist', 'web');

/** `/name` → file, for every regular file of dist/web with a known type; `/` is index.html. */
export function loadAssets(dir = WEB_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return assets;
  }
  for (const name of names) {
    const type = TYPES[name.slice(name.lastIndexOf('.') + 1)];
    const file = join(dir, name);
    if (!type || !statSync(file).isFile()) continue;
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const gzip = /^(?:text\/|application\/json)/.test(type) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
    const asset: Asset = { body, type, etag, ...(gzip ? { gzip } : {}) };
    assets.set(`/${name}`, asset);
    if (name === 'index.html') assets.set('/', asset);
  }
  return assets;
}
