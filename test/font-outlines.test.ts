/**
 * Whether a face has TrueType outlines (a glyf table), which decides whether the DOCX may embed
 * it (Word embeds only TrueType): read from the font's own table directory. (No CFF face is at hand
 * to show the other answer: a font whose glyf table is hidden does not open at all.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFace } from '../src/fonts/index.js';
import { collectionOf } from './helpers/fonts.js';
import { ROOT } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-outlines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ttf = readFileSync(join(ROOT, 'fonts/XXGKSans-Regular.ttf'));

describe('TrueType outlines', () => {
  it('a bundled face and a face of a .ttc collection have them', () => {
    expect(openFace({ file: join(ROOT, 'fonts/XXGKSans-Regular.ttf') }).trueType).toBe(true);
    const ttc = join(dir, 'one.ttc');
    writeFileSync(ttc, collectionOf(ttf));
    const postscriptName = openFace({ file: join(ROOT, 'fonts/XXGKSans-Regular.ttf') }).postscriptName;
    expect(openFace({ file: ttc, postscriptName }).trueType).toBe(true);
  });
});
