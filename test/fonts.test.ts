/**
 * fonts/coverage.json says which code points each bundled face has, so that `validate` can check
 * glyphs without parsing 14 MB of fonts. It must equal the faces' own cmaps, code point for code point.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED, loadFontSet, openFace, ROLES } from '../src/fonts/index.js';
import { ROOT } from './helpers/reports.js';

const charset = readFileSync(join(ROOT, 'fonts/charset.txt'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => parseInt(l.slice(2, l.indexOf('\t')), 16));

describe('bundled font coverage without parsing', () => {
  const set = loadFontSet();

  it.each(ROLES)('%s: coverage.json agrees with the face for every code point of the charset and beyond', (role) => {
    const face = openFace(BUNDLED[role], role);
    const cmap = new Set(face.font.characterSet);
    // Every code point the face maps is in the charset (nothing is covered that coverage.json would miss).
    expect([...cmap].filter((cp) => !charset.includes(cp))).toEqual([]);
    const disagree = charset.filter((cp) => set.has(role, cp) !== cmap.has(cp));
    expect(disagree).toEqual([]);
    for (const cp of [0x1f600, 0x20000, 0xe000, 0x9fff, 0x0000]) expect(set.has(role, cp), `U+${cp.toString(16)}`).toBe(face.font.hasGlyphForCodePoint(cp));
    expect(set.family(role)).toBe(face.family);
  });

  it('a face named in a font config is opened at once, so a bad file is reported before any work', () => {
    expect(() => loadFontSet({ body: { file: join(ROOT, 'test/fixtures/bad/corrupt-font.ttf') } })).toThrow(/正文字体/);
  });
});
