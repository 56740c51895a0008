/**
 * Importing a published report: the blocks a document reader found (DOCX, HTML, PDF: docx.ts,
 * html.ts, pdf.ts) → the report model. Which reader reads which file is src/readers' table.
 *
 * Gaps — numbers or parts the document does not hold — come back as `gaps` with the missing
 * numbers set to 0; `notes` holds the importer's notes (warnings). Refused input (a scan, a
 * password, no tables) throws a ReportError.
 */
import { formats } from '../../layouts/index.js';
import type { Diagnostic } from '../diagnostics.js';
import { resolveGrid, type FormSpec } from '../form/index.js';
import { bindings } from '../model/labels.js';
import { parseReportValue, type ParseResult } from '../model/load.js';
import { getPath } from '../model/paths.js';
import { setPath } from '../model/resolve.js';
import type { ReportInput } from '../model/schema.js';
import type { ReadResult } from './blocks.js';
import { mapBlocks } from './map.js';
import { refuse } from './refuse.js';
import { labelKey } from './text.js';

export type { Block, ReadResult, TableBlock, TableCell, ParagraphBlock } from './blocks.js';

export interface ImportResult {
  report: ReportInput;
  diagnostics: Diagnostic[];
  gaps: Diagnostic[];
}

/** What a document holds, as the report model, with what it does not hold. */
export interface ImportedBlocks {
  report: ReportInput;
  /** The report against the schema (it fails where a gap left agency or year out). */
  parsed: ParseResult;
  notes: Diagnostic[];
  gaps: Diagnostic[];
}

/** The blocks of a document (src/import/docx.ts, html.ts, pdf.ts) mapped onto the form whose tables it holds. */
export function importBlocks(read: ReadResult, filename: string): ImportedBlocks {
  // The format whose tables the document holds most of (the default on a tie).
  const found = (form: FormSpec, gaps: Diagnostic[]) =>
    Object.keys(form.tables).filter((id) => !gaps.some((g) => g.path === form.parts.find((p) => p.table === id)?.field)).length;
  const { form, mapped } = formats()
    .map((form) => ({ form, mapped: mapBlocks(read.blocks, form, read.titles) }))
    .reduce((best, next) => (found(next.form, next.mapped.gaps) > found(best.form, best.mapped.gaps) ? next : best));
  if (!found(form, mapped.gaps)) {
    // The labels may still be there as plain text: a table drawn without lines, or a text copy.
    const text = labelKey(read.blocks.map((b) => (b.kind === 'p' ? b.text : '')).join(''));
    const labels = Object.values(form.tables)
      .flatMap((t) => resolveGrid(t).cells.map((c) => c.text ?? ''))
      .filter((l) => l.length >= 6 && text.includes(labelKey(l)));
    refuse(
      'NO_TABLES',
      labels.length >= 3
        ? `文档中有表格的文字（如“${labels[0]}”），但没有可按单元格读取的表格（例如 PDF 中的表格没有表格线）：请改用 DOCX 或 HTML 版本导入`
        : `文档中没有找到${Object.values(form.tables)
            .map((t) => t.name)
            .join('、')}中的任何一张：不是${kindOfReport(form)}，或表格是图片`,
      filename,
    );
  }
  const notes = [
    ...read.notes.map((message): Diagnostic => ({ code: 'IMPORT', severity: 'warning', path: '$', message })),
    ...mapped.notes,
  ];
  const gaps = [...mapped.gaps];
  // A number read beyond 2^53 is not the document's digits any more (99999999999999999999 reads as
  // 1e20): messages show the digits a cell of the document holds for it.
  const numbers = new Map<string, string>();
  const cells = bindings(form);
  const texts = read.blocks.flatMap((b) =>
    b.kind === 'table' ? b.cells.flatMap((c) => c.text.replace(/[,，\s]/gu, '').match(/\d{16,}/gu) ?? []) : [],
  );
  for (const path of cells.keys()) {
    const v = getPath(mapped.report, path);
    if (typeof v !== 'number' || Number.isSafeInteger(v)) continue;
    const digits = texts.find((t) => Number(t) === v);
    if (digits) numbers.set(path, digits);
  }
  let parsed = parseReportValue(mapped.report, numbers);
  if (!parsed.ok && !gaps.some((g) => g.path === 'agency' || g.path === 'year'))
    gaps.push(...parsed.diagnostics.map((d) => ({ ...d, code: 'IMPORT_GAP', message: `导入的内容不符合数据格式：${d.message}` })));
  // A count the document does not hold as a count (no number, not a whole number, beyond the
  // limit) is a gap and written as 0, never as the value read or null (issue 27).
  let zeroed = false;
  for (const g of gaps) {
    if (!cells.has(g.path)) continue;
    const v = getPath(mapped.report, g.path);
    if (v !== 0) {
      setPath(mapped.report as Record<string, unknown>, g.path, 0);
      zeroed = true;
    }
  }
  if (zeroed) parsed = parseReportValue(mapped.report);
  // One gap per cell and message: the schema and the number checks may both name it.
  const seen = new Set<string>();
  const unique = gaps.filter((g) => {
    const key = `${g.path}\u0000${g.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return { report: mapped.report, parsed, notes, gaps: unique };
}

/** What a report of the form is called: its default title without agency and year (`政府信息公开工作年度报告`). */
const kindOfReport = (form: FormSpec): string => form.defaultTitle('', 1234).replace(/^1234年度?/u, '');
