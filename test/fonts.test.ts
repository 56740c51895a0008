/**
 * fonts/coverage.json says which code points each bundled face has, so that `validate` can check
 * glyphs without parsing 14 MB of fonts. It must equal the faces' own cmaps, code point for code point.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED, LAYOUT_TABLES, loadFontkit, loadFontSet, openFace, ROLES, shareFontFiles } from '../src/fonts/index.js';
import { readDirectory } from '../src/fonts/sfnt.js';
import { collectionOf } from './helpers/fonts.js';
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
    for (const cp of [0x1f600, 0x20000, 0xe000, 0x9fff, 0x0000])
      expect(set.has(role, cp), `U+${cp.toString(16)}`).toBe(face.font.hasGlyphForCodePoint(cp));
    expect(set.family(role)).toBe(face.family);
  });

  it('a face named in a font config is opened at once, so a bad file is reported before any work', () => {
    expect(() => loadFontSet({ body: { file: join(ROOT, 'test/fixtures/bad/corrupt-font.ttf') } })).toThrow(/正文字体/);
  });
});

describe('faces are drawn without their OpenType layout tables', () => {
  const fontkit = loadFontkit();
  const text = '政府信息公开2024年12月31日（第1号）Ａ-1.5%“引号”，、。office ﬁ';

  it.each(['XXGKSerif-Regular.ttf', 'XXGKWenKai-Regular.ttf'])(
    '%s: no GSUB/GPOS/GDEF, the same glyphs and advances as the file with every feature off',
    (name) => {
      const file = join(ROOT, 'fonts', name);
      const face = openFace({ file }, 'body');
      const tags = Object.keys((face.font as unknown as { directory: { tables: Record<string, unknown> } }).directory.tables);
      expect(tags.filter((t) => LAYOUT_TABLES.has(t))).toEqual([]);
      expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'loca', 'hmtx', 'vmtx', 'head', 'name']));
      const original = fontkit.create(readFileSync(file)) as unknown as import('fontkit').Font;
      const off = Object.fromEntries(['ccmp', 'locl', 'liga', 'clig', 'calt', 'kern', 'mark', 'mkmk', 'palt'].map((f) => [f, false]));
      const a = original.layout(text, off as unknown as string[]);
      const b = face.font.layout(text);
      expect(b.glyphs.map((g) => g.id)).toEqual(a.glyphs.map((g) => g.id));
      expect(b.positions.map((p) => p.xAdvance)).toEqual(a.positions.map((p) => p.xAdvance));
    },
  );

  it('a face of a .ttc collection becomes one font file with the same glyphs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xxgk-ttc-'));
    const ttc = join(dir, 'serif.ttc');
    writeFileSync(ttc, collectionOf(readFileSync(join(ROOT, 'fonts/XXGKSerif-Regular.ttf'))));
    const face = openFace({ file: ttc, postscriptName: 'XXGKSerif-Regular' }, 'body');
    expect(face.data.subarray(0, 4).toString('latin1')).not.toBe('ttcf');
    const single = openFace({ file: join(ROOT, 'fonts/XXGKSerif-Regular.ttf') }, 'body');
    expect(face.font.layout(text).glyphs.map((g) => g.id)).toEqual(single.font.layout(text).glyphs.map((g) => g.id));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('font files shared with render workers', () => {
  it('are read once per file, into shared memory, without their layout tables', () => {
    const { shared, fill } = shareFontFiles();
    const files = [...new Set(ROLES.map((r) => BUNDLED[r].file))].sort();
    expect([...shared.files].sort()).toEqual(files);
    expect(Atomics.load(shared.state, 0)).toBe(0);
    fill();
    expect(Atomics.load(shared.state, 0)).toBe(1);
    shared.files.forEach((file, i) => {
      const bytes = shared.bytes[i]!;
      expect(bytes).toBeInstanceOf(SharedArrayBuffer);
      expect(Atomics.load(shared.state, 1 + i), file).toBe(1);
      const tags = readDirectory(Buffer.from(bytes), 0).map((t) => t.tag);
      expect(
        tags.filter((t) => LAYOUT_TABLES.has(t)),
        file,
      ).toEqual([]);
      expect(tags).toContain('glyf');
      // The rest of the file is as it is on disk.
      expect(bytes.byteLength).toBe(readFileSync(file).length);
    });
  });

  it('a file that cannot be read is marked so, for the thread that opens it to read and report', () => {
    const missing = join(ROOT, 'no-such-font.ttf');
    const { shared, fill } = shareFontFiles({ body: { file: missing } });
    fill();
    const i = shared.files.indexOf(missing);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(Atomics.load(shared.state, 1 + i)).toBe(0);
    expect(Atomics.load(shared.state, 0)).toBe(1);
  });
});
