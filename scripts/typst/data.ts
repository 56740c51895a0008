/** A report as the Typst peer reads it: text and tables resolved, the same grids our layout sets. */
import { formFor } from '../../layouts/index.js';
import { resolveGrid } from '../../src/form/index.js';
import { getPath } from '../../src/model/paths.js';
import { resolve } from '../../src/model/resolve.js';
import type { Report } from '../../src/model/schema.js';

export function typstData(report: Report): string {
  const form = formFor(report.format);
  const r = resolve(report, form.defaultTitle);
  type Section = { heading: string; paragraphs: string[] };
  const list = <T>(path: string | undefined): T[] => (path ? ((getPath(r, path) as T[] | undefined) ?? []) : []);
  const sections = (items: Section[]) =>
    items.flatMap((s, i) => [
      { heading: true, text: `${form.subsectionNumber(i)}${s.heading}` },
      ...s.paragraphs.map((text) => ({ heading: false, text })),
    ]);
  const parts = form.parts.map((part) => {
    const paragraphs = [
      ...list<string>(part.paragraphs).map((text) => ({ heading: false, text })),
      ...sections(list<Section>(part.sections)),
    ];
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
