/**
 * Importing a published report: DOCX, HTML or PDF (or the model's own JSON) → the report model.
 *
 *   const { report, diagnostics, gaps } = await importReport(bytes, 'report.pdf');
 *
 * Refused input (not what its extension says, a scan, a password, no tables, too large) throws a
 * ReportError with exit code 2. Gaps — numbers or parts the document does not hold — come back as
 * `gaps` with the missing numbers set to 0; `diagnostics` holds the importer's notes and the
 * 勾稽 rules' findings on the imported numbers, all as warnings (a published report is what it is).
 */
import { extname } from 'node:path';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { formats } from '../../layouts/index.js';
import { resolveGrid, type FormSpec } from '../form/index.js';
import { parseJsonText, parseReport } from '../model/load.js';
import { LIMITS, type ReportInput } from '../model/schema.js';
import { runRules } from '../rules/index.js';
import type { ReadResult } from './blocks.js';
import { readDocx } from './docx.js';
import { readHtml } from './html.js';
import { mapBlocks } from './map.js';
import { KIND_NAMES, refuse, sniff, type Kind } from './refuse.js';
import { labelKey } from './text.js';

export type { Block, ReadResult, TableBlock, TableCell, ParagraphBlock } from './blocks.js';

export interface ImportResult {
  report: ReportInput;
  diagnostics: Diagnostic[];
  gaps: Diagnostic[];
}

export const IMPORT_EXTENSIONS: Record<string, Kind> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.json': 'json',
};

/** The reader for the bytes, checked against the extension the file claims. */
function kindOf(bytes: Uint8Array, filename: string): Kind {
  const ext = extname(filename).toLowerCase();
  const claimed = IMPORT_EXTENSIONS[ext];
  if (!claimed) refuse('EXTENSION', `不支持的文件类型“${ext || '（无扩展名）'}”：可导入 .docx、.pdf、.html/.htm 和 .json`, filename);
  const actual = sniff(bytes);
  const fits = actual === claimed || (claimed === 'docx' && actual === 'zip');
  if (!fits) {
    if (bytes.length === 0) refuse('EMPTY', '文件为空', filename);
    refuse(
      'NOT_WHAT_IT_SAYS',
      `文件扩展名为 ${ext}，但内容不是${KIND_NAMES[claimed === 'docx' ? 'docx' : claimed]}（实际是${KIND_NAMES[actual]}），拒绝导入`,
      filename,
    );
  }
  return claimed;
}

/** Read any supported document into the intermediate form. */
export async function readDocument(bytes: Uint8Array, filename: string): Promise<ReadResult> {
  const kind = kindOf(bytes, filename);
  if (kind === 'docx') return readDocx(bytes, filename);
  if (kind === 'html') return readHtml(bytes, filename);
  if (kind === 'pdf') {
    const { readPdf } = await import('./pdf.js');
    return readPdf(bytes, filename);
  }
  refuse('EXTENSION', 'JSON 文件不需要读取为文档', filename);
}

export async function importReport(bytes: Uint8Array, filename: string): Promise<ImportResult> {
  if (bytes.length > LIMITS.fileBytes)
    refuse('TOO_LARGE', `文件过大：${bytes.length} 字节，上限 ${LIMITS.fileBytes} 字节（5 MB）`, filename);
  const kind = kindOf(bytes, filename);
  if (kind === 'json') {
    // The model itself: passed through validation unchanged.
    const json = parseJsonText(bytes);
    if (!json.ok) throw new ReportError(2, json.diagnostics, filename);
    const parsed = parseReport(json.value);
    if (!parsed.ok) throw new ReportError(2, parsed.diagnostics, filename);
    return { report: json.value as ReportInput, diagnostics: asWarnings(runRules(parsed.report)), gaps: [] };
  }
  const read = await readDocument(bytes, filename);
  // The format whose tables the document holds most of (the default on a tie).
  const found = (form: FormSpec, gaps: Diagnostic[]) =>
    Object.keys(form.tables).filter((id) => !gaps.some((g) => g.path === form.parts.find((p) => p.table === id)?.field)).length;
  const { form, mapped } = formats()
    .map((form) => ({ form, mapped: mapBlocks(read.blocks, form) }))
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
  const parsed = parseReport(mapped.report);
  let rules: Diagnostic[] = [];
  if (parsed.ok) rules = runRules(parsed.report);
  else if (!gaps.some((g) => g.path === 'agency' || g.path === 'year'))
    gaps.push(...parsed.diagnostics.map((d) => ({ ...d, code: 'IMPORT_GAP', message: `导入的内容不符合数据格式：${d.message}` })));
  return { report: mapped.report, diagnostics: [...notes, ...asWarnings(rules)], gaps };
}

/** What a report of the form is called: its default title without agency and year (`政府信息公开工作年度报告`). */
const kindOfReport = (form: FormSpec): string => form.defaultTitle('', 1234).replace(/^1234年度?/u, '');

/** Rule findings on a published report are warnings: the document says what it says. */
const asWarnings = (ds: Diagnostic[]): Diagnostic[] => ds.map((d) => ({ ...d, severity: 'warning' }));
