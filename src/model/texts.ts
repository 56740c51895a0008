/**
 * Which font role prints each text of a report, with its JSON path: the basis of the glyph
 * coverage check that runs before layout.
 */
import type { FontRole, FormSpec } from '../form/index.js';
import type { PathSegment } from './paths.js';
import type { Report } from './schema.js';

export interface PlacedText {
  path: PathSegment[];
  role: FontRole;
  text: string;
}

export function reportTexts(report: Report, form: FormSpec): PlacedText[] {
  const out: PlacedText[] = [];
  const add = (path: PathSegment[], role: FontRole, text: string) => out.push({ path, role, text });
  add([report.title !== undefined ? 'title' : 'agency'], 'title', report.title ?? form.defaultTitle(report.agency, report.year));
  report.preface.forEach((p, i) => add(['preface', i], 'body', p));
  (report.overview.intro ?? []).forEach((p, i) => add(['overview', 'intro', i], 'body', p));
  const sections = (base: PathSegment[], list: Report['other']) =>
    list.forEach((s, i) => {
      add([...base, i, 'heading'], 'heading2', s.heading);
      s.paragraphs.forEach((p, j) => add([...base, i, 'paragraphs', j], 'body', p));
    });
  sections(['overview', 'sections'], report.overview.sections);
  report.problems.forEach((p, i) => add(['problems', i], 'body', p));
  sections(['other'], report.other);
  add(['proactive', 'fees'], 'table', report.proactive.fees);
  if (report.signature) {
    add(['signature', 'name'], 'body', report.signature.name);
    add(['signature', 'date'], 'body', report.signature.date);
  }
  return out;
}
