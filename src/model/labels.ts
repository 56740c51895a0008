/**
 * The official Chinese label of a JSON path, for diagnostics: table cells are named by the
 * headings of their row and column in the form, other fields by the form's field labels.
 */
import { formFor } from '../../layouts/index.js';
import { bindingsOf, type BoundCell, type FormSpec } from '../form/index.js';

const bindingCache = new WeakMap<FormSpec, Map<string, BoundCell>>();
export function bindings(form: FormSpec): Map<string, BoundCell> {
  let map = bindingCache.get(form);
  if (!map) bindingCache.set(form, (map = bindingsOf(form.tables)));
  return map;
}

/** `表三 一、本年新收政府信息公开申请数量 / 自然人` for a bound cell. */
export function cellLabel(form: FormSpec, dotted: string): string | undefined {
  const b = bindings(form).get(dotted);
  if (!b) return undefined;
  const name = form.tables[b.table]!.name;
  return b.row.length ? `${name} ${b.row.join(' ')} / ${b.column.join(' ')}` : `${name} ${b.column.join(' ')}`;
}

/** The leaf column heading of a bound cell (`自然人`, `商业企业`, `总计`). */
export function columnLabel(form: FormSpec, dotted: string): string {
  return bindings(form).get(dotted)?.column.at(-1) ?? dotted;
}

/** The row headings of a bound cell (`（三）不予公开 1.属于国家秘密`), without the table name and the form's quiet labels. */
export function rowLabel(form: FormSpec, dotted: string): string {
  const b = bindings(form).get(dotted);
  const quiet = new Set(form.quietRowLabels ?? []);
  return b ? b.row.filter((t) => !quiet.has(t)).join(' ') : dotted;
}

/** The column headings of a bound cell but the last (`行政诉讼 未经复议直接起诉`). */
export function columnGroupLabel(form: FormSpec, dotted: string): string {
  return bindings(form).get(dotted)?.column.slice(0, -1).join(' ') ?? dotted;
}

/** The short name of the table holding a bound cell (`表三`). */
export function tableName(form: FormSpec, dotted: string): string {
  const b = bindings(form).get(dotted);
  return b ? form.tables[b.table]!.name : '';
}

/** The bound cells of a form that hold a decimal (kept as written) rather than a count. */
export function decimalCells(form: FormSpec): Set<string> {
  return new Set([...bindings(form)].filter(([, b]) => b.cell.value === 'decimal').map(([k]) => k));
}

export function describePath(path: readonly PropertyKey[], form: FormSpec = formFor()): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  const dotted = names.join('.');
  const exact = cellLabel(form, dotted);
  if (exact) return exact;
  // A whole row of a table: every binding under it shares its row headings.
  const under = [...bindings(form)].filter(([k]) => k.startsWith(`${dotted}.`));
  if (dotted && under.length && !(dotted in form.fieldLabels)) {
    const rows = new Set(under.map(([, b]) => b.row.join(' ')));
    if (rows.size === 1) return `${form.tables[under[0]![1].table]!.name} ${[...rows][0]}`;
  }
  // Otherwise: the nearest labelled ancestor plus the rest spelt out.
  let i = path.length;
  let base = '';
  for (; i > 0; i--) {
    const key = path
      .slice(0, i)
      .filter((p): p is string => typeof p === 'string')
      .join('.');
    if (path.slice(0, i).every((p) => typeof p === 'string') && form.fieldLabels[key]) {
      base = form.fieldLabels[key]!;
      break;
    }
  }
  // The lists of the form's parts: a section is named by its number, a list's own key says nothing more.
  const sectionLists = new Set(form.parts.flatMap((p) => (p.sections ? [p.sections] : [])));
  const lists = new Set([...sectionLists, ...form.parts.flatMap((p) => (p.paragraphs ? [p.paragraphs] : []))]);
  const dottedTo = (k: number) =>
    path
      .slice(0, k)
      .filter((p): p is string => typeof p === 'string')
      .join('.');
  const rest = path.slice(i).map((seg, j) => {
    const at = i + j;
    if (typeof seg === 'number') return sectionLists.has(dottedTo(at)) ? `${form.subsectionNumber(seg)}小节` : `第${seg + 1}段`;
    if (lists.has(dottedTo(at + 1))) return '';
    return ({ heading: '小标题', paragraphs: '' } as Record<string, string>)[String(seg)] ?? String(seg);
  });
  return [base, ...rest].filter(Boolean).join(' ') || '报告文件';
}
