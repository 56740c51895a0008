/** A report as the Typst peer reads it: text and tables resolved, the same grids our layout sets. */
import { formFor } from '../../layouts/index.js';
import { resolveGrid } from '../../src/form/index.js';
import { getPath } from '../../src/model/paths.js';
import { resolve } from '../../src/model/resolve.js';
import type { Report } from '../../src/model/schema.js';

export function typstData(report: Report): string {
  const form = formFor(report.format);
  const r = resolve(report, form.defaultTitle);
  const sections = (list: Report['other']) =>
    list.flatMap((s, i) => [
      { heading: true, text: `${form.subsectionNumber(i)}${s.heading}` },
      ...s.paragraphs.map((text) => ({ heading: false, text })),
    ]);
  const parts = form.parts.map((part) => {
    const paragraphs =
      part.field === 'overview'
        ? [...(r.overview.intro ?? []).map((text) => ({ heading: false, text })), ...sections(r.overview.sections)]
        : part.field === 'problems'
          ? r.problems.map((text) => ({ heading: false, text }))
          : part.field === 'other'
            ? sections(r.other)
            : [];
    const spec = part.table ? form.tables[part.table]! : undefined;
    const table = spec && {
      columns: spec.columns,
      cells: resolveGrid(spec).cells.map((c) => ({
        r: c.r,
        c: c.c,
        rs: c.rs,
        cs: c.cs,
        text: c.bind ? String(getPath(r, c.bind)) : (c.text ?? ''),
      })),
    };
    return { heading: part.heading, paragraphs, table: table ?? null };
  });
  const signature = r.signature ? { name: r.signature.name, date: r.signature.date } : null;
  return JSON.stringify({ title: r.title, preface: r.preface, parts, signature });
}
