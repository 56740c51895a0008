/** Every character of a report must have a glyph in its role's font: never a blank box in the PDF. */
import type { Diagnostic } from '../diagnostics.js';
import { describePath } from '../model/labels.js';
import { formatPath } from '../model/paths.js';
import type { Report } from '../model/schema.js';
import { reportTexts } from '../layout/texts.js';
import type { LayoutSpec } from '../layout/spec.js';
import { ROLE_NAMES, type FontSet } from './index.js';

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

export function checkGlyphs(report: Report, layout: LayoutSpec, fonts: FontSet): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { path: segments, role, text } of reportTexts(report, layout)) {
    const path = formatPath(segments);
    const seen = new Set<number>();
    let index = 0;
    for (const ch of text) {
      index++;
      const cp = ch.codePointAt(0)!;
      if (seen.has(cp) || fonts.has(role, cp)) continue;
      seen.add(cp);
      const face = fonts.faces[role];
      out.push({
        code: 'GLYPH',
        severity: 'error',
        path,
        message:
          `${describePath(segments, layout)}：第 ${index} 个字符“${ch}”（${hex(cp)}）在${ROLE_NAMES[role]}` +
          ` ${face.family} 中没有字形，打印出来会是空白方框。请改用常用字，或用 --fonts 指定含有该字的字体（${path}）`,
      });
    }
  }
  return out;
}
