/** Model + form → document IR. Nothing here knows pdfmake or docx. */
import type { FontRole, FontSet } from '../fonts/index.js';
import type { FontRole as FormRole, FormSpec, PartSpec } from '../form/index.js';
import { getPath } from '../model/paths.js';
import type { AnyResolvedReport } from '../model/resolve.js';
import type { Block, DocumentIR, ParagraphBlock, ParagraphStyle, StyleName, TableIR } from './ir.js';
import { breakLines, CLOSING, setLine, units } from './measure.js';
import { paginate } from './pages.js';
import { buildTable } from './table.js';
import { balanceTitle } from './title.js';

export const MM = 72 / 25.4;

// The form names the roles its text is printed in, the fonts the roles they load faces for: the
// two lists are the same (checked here, where both are imported).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const rolesAgree: Same<FormRole, FontRole> = true;
void rolesAgree;

/** Room left on a page when deciding that a block fits on it, pt. */
const KEEP_MARGIN = 2;

export interface BuildOptions {
  /** Mark every page as a draft (rendered despite rule errors). */
  draft?: boolean;
}

/** `2025-01-20` → `2025年1月20日` (GB/T 9704: Arabic numerals, no leading zeros). */
export const chineseDate = (iso: string): string => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** Room kept free on a line per character off the character grid (see BreakOptions.reserve), pt. */
const RESERVE = 0.2;

export function buildDocument(report: AnyResolvedReport, form: FormSpec, fonts: FontSet, options: BuildOptions = {}): DocumentIR {
  const ty = form.typography;
  const textWidth = ty.page.textWidthMm * MM;
  const textHeight = ty.page.textHeightMm * MM;
  const linePitch = ty.body.linePitch;
  const charPitch = textWidth / ty.grid.chars;
  // Letter spacing that sets `grid.chars` characters a line, in the twentieths of a point that Word
  // can express (rounded down, so a full line still fits): PDF and DOCX then break lines alike.
  const spacing = (size: number) => Math.floor((charPitch - size) * 20) / 20;

  const style = (s: Omit<ParagraphStyle, 'rightIndent' | 'spaceBefore' | 'spaceAfter'> & Partial<ParagraphStyle>): ParagraphStyle => ({
    rightIndent: 0,
    spaceBefore: 0,
    spaceAfter: 0,
    ...s,
  });
  const styles: Record<StyleName, ParagraphStyle> = {
    title: style({
      role: ty.title.role,
      size: ty.title.size,
      linePitch: ty.title.linePitch,
      align: 'center',
      firstLineIndent: 0,
      letterSpacing: 0,
      spaceAfter: ty.title.spaceAfterLines * linePitch,
      outlineLevel: 0,
      keepWithNext: true,
    }),
    body: style({
      role: ty.body.role,
      size: ty.body.size,
      linePitch: ty.body.linePitch,
      align: 'justify',
      firstLineIndent: ty.body.indentChars * charPitch,
      letterSpacing: spacing(ty.body.size),
      minLinesAtBreak: ty.body.minLinesAtBreak,
    }),
    heading1: style({
      role: ty.heading1.role,
      size: ty.heading1.size,
      linePitch: ty.heading1.linePitch,
      align: 'left',
      firstLineIndent: ty.heading1.indentChars * charPitch,
      letterSpacing: spacing(ty.heading1.size),
      outlineLevel: 1,
      keepWithNext: true,
    }),
    heading2: style({
      role: ty.heading2.role,
      size: ty.heading2.size,
      linePitch: ty.heading2.linePitch,
      align: 'justify',
      firstLineIndent: ty.heading2.indentChars * charPitch,
      letterSpacing: spacing(ty.heading2.size),
      outlineLevel: 2,
      keepWithNext: true,
    }),
    signature: style({
      role: ty.body.role,
      size: ty.body.size,
      linePitch: ty.body.linePitch,
      align: 'right',
      firstLineIndent: 0,
      rightIndent: ty.signature.indentChars * charPitch,
      letterSpacing: 0,
    }),
  };

  /** Set a paragraph: break it into lines and justify every line but the last. */
  const p = (name: StyleName, text: string): ParagraphBlock => {
    const s = styles[name];
    const width = textWidth - s.rightIndent;
    // A justified line's gaps are bounded (typography.body.maxGapEm).
    const o = {
      fonts,
      role: s.role,
      size: s.size,
      letterSpacing: s.letterSpacing,
      ...(s.align === 'justify' ? { maxGap: ty.body.maxGapEm * s.size } : {}),
    };
    const broken = breakLines(text, { ...o, width, firstIndent: s.firstLineIndent, reserve: RESERVE });
    const room = (i: number) => width - (i === 0 ? s.firstLineIndent : 0);
    // No lone character on a justified paragraph's last line (孤字): while the last line holds fewer
    // than `minLastLineChars` characters before its closing punctuation, the line above gives it
    // its last unbreakable unit (the line above then takes up a character's room in its spacing).
    const letters = (t: string) => [...t].filter((c) => !CLOSING.test(c)).length;
    // Not when the line above would stretch beyond the widest gap a justified line may have.
    for (let guard = 0; s.align === 'justify' && broken.length > 1 && letters(broken.at(-1)!.text) < ty.body.minLastLineChars; guard++) {
      const above = units(broken.at(-2)!.text);
      if (above.length < 2 || guard >= ty.body.minLastLineChars) break;
      const moved = above.pop()!;
      const rest = above.join('').replace(/ +$/, '');
      const last = setLine(moved + broken.at(-1)!.text, o);
      const stretched = setLine(rest, o, room(broken.length - 2));
      if (last.width > width || Math.max(...stretched.runs.map((r) => r.spacing)) > ty.body.maxGapEm * s.size) break;
      broken.splice(-2, 2, setLine(rest, o), last);
    }
    const lines = broken.map((l, i) => (s.align === 'justify' && i < broken.length - 1 ? setLine(l.text, o, room(i)) : l));
    return { type: 'paragraph', style: name, text, lines, hardBreaks: false };
  };
  const paragraphs = (list: readonly string[]) => list.filter((t) => t.trim() !== '').map((t) => p('body', t));
  const sections = (list: readonly { heading: string; paragraphs: string[] }[]): Block[] =>
    list.flatMap((s, i) => [p('heading2', `${form.subsectionNumber(i)}${s.heading.trim()}`), ...paragraphs(s.paragraphs)]);

  const part = (spec: PartSpec): Block[] => {
    const heading = p('heading1', spec.heading);
    if (spec.table) {
      // A table whose numbers widen its columns until it no longer fits a page is set a little
      // smaller (down to the table's minimum size) rather than broken: breaking a table with
      // long row spans is where office suites and pdfmake go wrong.
      const fits = (t: TableIR) => styles.heading1.linePitch + t.height <= textHeight - KEEP_MARGIN;
      const place = { id: spec.table, caption: spec.heading };
      let table = buildTable(form.tables[spec.table]!, report, fonts, ty.table, textWidth, place);
      for (let size = ty.table.size - 0.5; !fits(table) && size >= ty.table.minSize; size -= 0.5) {
        const scale = size / ty.table.size;
        table = buildTable(
          form.tables[spec.table]!,
          report,
          fonts,
          { ...ty.table, size, linePitch: ty.table.linePitch * scale },
          textWidth,
          place,
        );
      }
      // No extra space after a table: in an office suite it would be a paragraph of its own, which
      // can land alone at the top of the next page and push the next table off it.
      const spaceAfter = 0;
      // Keep the heading and its table on one page when they fit on one; a table that must
      // break repeats its header rows, and its spanning labels sit at the top of their span so
      // that a break cannot hide them.
      // (pdfmake drops what does not fit of a block kept together: leave a margin for rounding.)
      if (fits(table)) return [{ type: 'group', keepTogether: true, blocks: [heading, table], spaceAfter }];
      for (const cell of table.cells) if (cell.rs > 1 && cell.r >= table.headerRows) cell.vAlign = 'top';
      return [heading, { ...table, spaceAfter }];
    }
    if (!spec.paragraphs && !spec.sections) throw new Error(`part ${spec.heading} has neither a table nor prose`);
    // Prose: the paragraphs at the part's path (an absent list prints nothing), then its sections.
    const list = <T>(path: string | undefined): T[] => (path ? ((getPath(report, path) as T[] | undefined) ?? []) : []);
    return [heading, ...paragraphs(list<string>(spec.paragraphs)), ...sections(list(spec.sections))];
  };

  const titleLines = balanceTitle(report.title.trim(), report.agency.trim(), fonts, ty.title.role, ty.title.size, textWidth);
  const blocks: Block[] = [
    {
      type: 'paragraph',
      style: 'title',
      text: report.title.trim(),
      lines: titleLines.map((t) =>
        setLine(t, { fonts, role: styles.title.role, size: styles.title.size, letterSpacing: styles.title.letterSpacing }),
      ),
      hardBreaks: true,
      widest: Math.max(
        ...titleLines.map((t) => fonts.measure(styles.title.role, t, styles.title.size) + ([...t].length - 1) * styles.title.letterSpacing),
      ),
    },
    ...paragraphs(report.preface),
    ...form.parts.flatMap(part),
  ];
  // A heading after a table stands a blank line below it, as the template and GB/T 9704 documents
  // set it: as space before the heading (dropped at a page's top), not an empty paragraph, which
  // an office suite could leave alone at the top of a page.
  blocks.forEach((b, i) => {
    const prev = blocks[i - 1];
    const ended = prev && (prev.type === 'table' || (prev.type === 'group' && prev.blocks.at(-1)?.type === 'table'));
    const head = b.type === 'group' ? b.blocks[0] : b;
    if (ended && head?.type === 'paragraph' && styles[head.style].outlineLevel !== undefined)
      head.spaceBefore = ty.table.linesAfter * linePitch;
  });
  if (report.signature) {
    // The signature never stands alone on a page: it keeps with the last paragraph (GB/T 9704 7.3.5).
    const last = blocks.at(-1);
    if (last?.type === 'paragraph') last.keepWithNext = true;
    // GB/T 9704 §7.3.5.2: the agency two characters in from the right, the date below it starting
    // two characters right of the agency's first character; a date longer than the agency is two
    // characters in and the agency's indent grows to match.
    const name = p('signature', report.signature.name);
    const date = p('signature', chineseDate(report.signature.date));
    const nameWidth = Math.max(...name.lines.map((l) => l.width));
    const dateWidth = Math.max(...date.lines.map((l) => l.width));
    const indent = ty.signature.indentChars * charPitch;
    const shift = ty.signature.dateShiftChars * charPitch;
    const longer = dateWidth > nameWidth;
    const nameIndent = longer ? indent + dateWidth + shift - nameWidth : indent;
    const dateIndent = longer ? indent : nameIndent + nameWidth - shift - dateWidth;
    blocks.push(
      { ...name, spaceBefore: linePitch, keepWithNext: true, ...(nameIndent !== indent ? { rightIndent: nameIndent } : {}) },
      { ...date, ...(dateIndent !== indent ? { rightIndent: dateIndent } : {}) },
    );
  }

  const top = ty.page.marginTopMm * MM;
  const left = ty.page.marginLeftMm * MM;
  const width = ty.page.widthMm * MM;
  const height = ty.page.heightMm * MM;
  const date = report.signature?.date ?? `${report.year + 1}-01-01`;
  const ir: Omit<DocumentIR, 'pages'> = {
    page: {
      width,
      height,
      margins: { top, left, right: width - left - textWidth, bottom: height - top - textHeight },
      grid: { lines: ty.grid.lines, chars: ty.grid.chars, linePitch, charPitch },
    },
    meta: {
      title: report.title.trim(),
      author: report.agency.trim(),
      subject: form.document.subject(report.year),
      keywords: [...form.document.keywords, `${report.year}年`, report.agency.trim()],
      language: 'zh-CN',
      date: `${date}T00:00:00+08:00`,
      ...(report.signature ? { published: report.signature.date } : {}),
      ...(form.document.column ? { column: form.document.column } : {}),
    },
    styles,
    tableStyle: {
      role: ty.table.role,
      size: ty.table.size,
      linePitch: ty.table.linePitch,
      padding: ty.table.paddingPt,
      border: ty.table.borderPt,
    },
    footer: {
      role: ty.pageNumber.role,
      size: ty.pageNumber.size,
      prefix: `${ty.pageNumber.dash} `,
      suffix: ` ${ty.pageNumber.dash}`,
      odd: 'right',
      even: 'left',
      indent: ty.pageNumber.indentChars * ty.pageNumber.size,
      gap: ty.pageNumber.gapBelowTextMm * MM,
      lineHeight: ty.pageNumber.size,
    },
    headerDistance: top / 2,
    officialFonts: ty.officialFonts,
    draft: options.draft ? ty.draft : undefined,
    blocks,
  };
  return { ...ir, pages: paginate(ir, fonts) };
}
