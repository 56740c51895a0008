/**
 * Which font role prints each text of a report, with its JSON path: the basis of the glyph
 * coverage check that runs before layout. The prose comes from the form's parts (their paragraphs
 * and sections), the table text from its cells that hold text (a decimal kept as written).
 */
import type { AnyReport, FontRole, FormSpec } from '../form/index.js';
import { decimalCells } from './labels.js';
import { getPath, type PathSegment } from './paths.js';

export interface PlacedText {
  path: PathSegment[];
  role: FontRole;
  text: string;
}

type Section = { heading: string; paragraphs: string[] };

export function reportTexts(report: AnyReport, form: FormSpec): PlacedText[] {
  const out: PlacedText[] = [];
  const add = (path: PathSegment[], role: FontRole, text: string) => out.push({ path, role, text });
  add([report.title !== undefined ? 'title' : 'agency'], 'title', report.title ?? form.defaultTitle(report.agency, report.year));
  report.preface.forEach((p, i) => add(['preface', i], 'body', p));
  for (const part of form.parts) {
    if (part.paragraphs) {
      const base = part.paragraphs.split('.');
      ((getPath(report, part.paragraphs) as string[] | undefined) ?? []).forEach((p, i) => add([...base, i], 'body', p));
    }
    if (part.sections) {
      const base = part.sections.split('.');
      ((getPath(report, part.sections) as Section[] | undefined) ?? []).forEach((s, i) => {
        add([...base, i, 'heading'], 'heading2', s.heading);
        s.paragraphs.forEach((p, j) => add([...base, i, 'paragraphs', j], 'body', p));
      });
    }
  }
  for (const path of decimalCells(form)) {
    const v = getPath(report, path);
    if (typeof v === 'string') add(path.split('.'), 'table', v);
  }
  if (report.signature) {
    add(['signature', 'name'], 'body', report.signature.name);
    add(['signature', 'date'], 'body', report.signature.date);
  }
  return out;
}
