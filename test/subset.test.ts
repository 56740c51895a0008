/**
 * Cutting a font set's faces to a document's characters (src/fonts/subset.ts, what both writers
 * embed): one cut per face however many roles share it, holding every character asked for, read
 * back with fontkit; a face harfbuzz cannot cut is left whole.
 */
import { describe, expect, it } from 'vitest';
import { loadFontkit, loadFontSet, type Face, type FontSet } from '../src/fonts/index.js';
import { cutFaces } from '../src/fonts/subset.js';

const fontkit = loadFontkit();
const parse = (data: Buffer) => fontkit.create(data) as unknown as import('fontkit').Font;

describe('cutting faces to the characters printed (src/fonts/subset.ts)', () => {
  const fonts = loadFontSet();

  it('cuts each face once, for all the roles that print with it, keeping their characters only', () => {
    // body, table and pageNumber are the same bundled face (src/fonts/index.ts BUNDLED).
    const cuts = cutFaces(fonts, [
      ['body', '政府信息公开'],
      ['table', '１２3'],
      ['pageNumber', '-7-'],
      ['title', '年度报告'],
    ]);
    expect([...cuts.keys()]).toEqual([fonts.faces.body, fonts.faces.title]);
    expect(fonts.faces.table).toBe(fonts.faces.body);

    const serif = cuts.get(fonts.faces.body)!;
    expect(serif.chars).toBe([...' 政府信息公开１２3-7'].sort().join(''));
    const cut = parse(serif.data!);
    for (const ch of serif.chars) expect(cut.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(true);
    for (const ch of '年度报告') expect(cut.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(false);
    expect(cut.numGlyphs).toBeLessThan(40);
    expect(parse(fonts.faces.body.data).numGlyphs).toBeGreaterThan(5000);
    // The glyphs are the face's own: the same advance for each character.
    for (const ch of '政3')
      expect(cut.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth).toBe(
        fonts.faces.body.font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth,
      );

    const title = parse(cuts.get(fonts.faces.title)!.data!);
    for (const ch of '年度报告') expect(title.hasGlyphForCodePoint(ch.codePointAt(0)!), ch).toBe(true);
  });

  it('leaves a face harfbuzz cannot cut without a cut (the writers use it whole)', () => {
    const broken: Face = { ...fonts.faces.heading1, data: Buffer.from('not a font at all') };
    const set: FontSet = { ...fonts, faces: { ...fonts.faces, heading1: broken } };
    const cuts = cutFaces(set, [['heading1', '一、总体情况']]);
    expect(cuts.get(broken)).toEqual({ chars: [...' 一、总体情况'].sort().join(''), data: undefined });
  });
});
