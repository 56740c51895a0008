/**
 * The workbook of every member's numbers (for the office and the statistics bureau): one sheet per
 * table, a row per member in the official column order under a merged header derived from the
 * form's grids, a 合计 row of exact values and a 合计（公式） row of SUM formulas, then 核对 (every
 * finding) and 说明 (sources with SHA-256, tool, date). Same members, same bytes.
 *
 * Header layout: each official data cell becomes a column whose heading is its path in the form —
 * a table-wide block heading (表二's 第二十条第（一）项), then the row label (规章; for Table 3 the
 * full row label such as `（三）不予公开 1.属于国家秘密`), then the column headings (法人或其他组织 /
 * 商业企业). Table 3 is thus transposed: a member per row, 25 blocks of 7 applicant columns. Each
 * block carries its own complete row label instead of sitting under long merges (三、本年度办理
 * 结果 over 154 columns) whose text scrolls out of sight; the header stays three rows deep.
 */
import type * as ExcelJS from 'exceljs';
import { unzipSync, Zip, type ZipInputFile } from 'fflate';
import { crc32, deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { formFor } from '../../layouts/index.js';
import { headingsOf, resolveGrid, type FormSpec, type Grid, type GridCell } from '../form/index.js';
import { decimalCells, rowLabel } from '../model/labels.js';
import { blankReport } from '../model/blank.js';
import { parseReportValue as parseReport } from '../model/load.js';
import { getPath } from '../model/paths.js';
import { resolve } from '../model/resolve.js';
import { MIN_YEAR, type Report } from '../model/schema.js';
import { PACKAGE_ROOT } from '../paths.js';
import { fitsDouble, scaleOf } from './decimal.js';
import { sumNumbers } from './sum.js';

export interface WorkbookMember {
  /** The file as people see it (relative, never absolute). */
  name: string;
  report?: Report;
  sha256?: string;
  diagnostics: Diagnostic[];
  /** Whether the member's numbers are in the tables and the 合计 (default: when it has a report). */
  included?: boolean;
  /** Why a member is not in the tables, for 核对 and 说明. */
  reason?: string;
}

export interface WorkbookOptions {
  /** What the workbook is, e.g. `淮安市人民政府办公室2024年度政府信息公开工作年度报告汇总`. */
  title: string;
  /** The command that wrote it (`xxgk sum`, `xxgk batch`). */
  command: string;
  /** The report year, for the workbook's fixed date; default the latest member year. */
  year?: number;
  draft?: boolean;
  /** Findings on the summary itself (cross-year rules), listed in 核对 under this name. */
  summary?: { name: string; agency: string; diagnostics: Diagnostic[] };
}

/** A data column of a table sheet: the model path it shows and its heading, top level first. */
export interface SheetColumn {
  path: string;
  heading: string[];
}

const FONT = '宋体';
const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const LINE_PT = 13.5;

/** Display width in Excel's character units: Han characters and full-width forms count double. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    w +=
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      cp >= 0x20000
        ? 2
        : 1;
  }
  return w;
}

/** The header cells above a data cell, from the nearest block of header rows (as headingsOf walks them). */
function headingCells(grid: Grid, cell: GridCell): GridCell[] {
  const texts = new Set(headingsOf(grid, cell).column);
  let r = cell.r - 1;
  while (r >= 0 && grid.spec.rows[r]!.kind !== 'header') r--;
  const out: GridCell[] = [];
  for (; r >= 0 && grid.spec.rows[r]!.kind === 'header'; r--) {
    const o = grid.owner[r]![cell.c]!;
    if (o.r === r && o.text && texts.has(o.text)) out.unshift(o);
  }
  return out;
}

/**
 * The columns of a table sheet, in the form's reading order (row by row, left to right), each with
 * its heading: block headings that span the whole grid first, then the row label, then the
 * column headings — leaving out a heading that spans every data column over several cells
 * (表三's 申请人情况), which tells no column from another.
 */
export function sheetColumns(form: FormSpec, tableId: string): SheetColumn[] {
  const grid = resolveGrid(form.tables[tableId]!);
  const bound = grid.cells.filter((c) => c.bind);
  const first = Math.min(...bound.map((c) => c.c));
  const last = Math.max(...bound.map((c) => c.c + c.cs - 1));
  return bound.map((cell) => {
    const heads = headingCells(grid, cell);
    const block = heads.filter((h) => h.cs === grid.cols).map((h) => h.text!);
    const columns = heads
      .filter((h) => h.cs !== grid.cols)
      .filter((h) => !(h.c <= first && h.c + h.cs - 1 >= last && bound.filter((b) => b.r === cell.r).length > 1))
      .map((h) => h.text!);
    const row = rowLabel(form, cell.bind!);
    return { path: cell.bind!, heading: [...block, ...(row && row !== cell.bind ? [row] : []), ...columns] };
  });
}

interface HeaderCell {
  text: string;
  /** 0-based, relative to the first data column and the first header row. */
  c0: number;
  c1: number;
  r0: number;
  r1: number;
}

/** Merged header cells: a shorter heading's last label reaches down to the bottom row; equal neighbours under the same parents merge across. */
export function headerCells(columns: SheetColumn[]): { depth: number; cells: HeaderCell[] } {
  const depth = Math.max(...columns.map((c) => c.heading.length));
  const cells: HeaderCell[] = [];
  for (let level = 0; level < depth; level++) {
    let open: (HeaderCell & { key: string }) | undefined;
    columns.forEach((col, j) => {
      const h = col.heading;
      if (level >= h.length) return void (open = undefined);
      const lastLevel = level === h.length - 1;
      const key = JSON.stringify([h.slice(0, level + 1), lastLevel ? depth - 1 : level]);
      if (open && open.key === key && open.c1 === j - 1) open.c1 = j;
      else {
        open = { text: h[level]!, c0: j, c1: j, r0: level, r1: lastLevel ? depth - 1 : level, key };
        cells.push(open);
      }
    });
  }
  return { depth, cells: cells.map(({ text, c0, c1, r0, r1 }) => ({ text, c0, c1, r0, r1 })) };
}

/** The part a table is printed in, without its number: 主动公开政府信息情况. */
const tableTitle = (form: FormSpec, tableId: string): string =>
  (form.parts.find((p) => p.table === tableId)?.heading ?? '').replace(/^[一二三四五六七八九十]+、/u, '');

const toolVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
};

const style = (
  cell: ExcelJS.Cell,
  opts: { bold?: boolean; fill?: ExcelJS.Fill; h?: 'left' | 'center' | 'right'; wrap?: boolean; border?: boolean } = {},
) => {
  cell.font = { name: FONT, size: 10, bold: opts.bold ?? false };
  if (opts.fill) cell.fill = opts.fill;
  cell.alignment = { vertical: 'middle', horizontal: opts.h, wrapText: opts.wrap ?? false };
  if (opts.border !== false) cell.border = BORDER;
};

/** Rows needed to show `text` in `width` character units. */
const linesFor = (text: string, width: number): number => Math.max(1, Math.ceil(textWidth(text) / Math.max(1, width - 1.5)));

function tableSheet(
  wb: ExcelJS.Workbook,
  form: FormSpec,
  tableId: string,
  members: { name: string; report: Report }[],
  sums: Record<string, unknown>,
  meta: { yearColumn: boolean; caption: string },
) {
  const spec = form.tables[tableId]!;
  const ws = wb.addWorksheet(spec.name);
  const columns = sheetColumns(form, tableId);
  const { depth, cells } = headerCells(columns);
  const lead = meta.yearColumn ? ['序号', '单位', '年度'] : ['序号', '单位'];
  const L = lead.length;
  const top = 2; // row 1 holds the caption
  const firstData = top + depth;
  const resolved = members.map((m) => resolve(m.report, form.defaultTitle));
  const n = members.length;
  const totalRow = firstData + n;
  const formulaRow = totalRow + 1;

  // Caption.
  const caption = ws.getCell(1, 1);
  caption.value = meta.caption;
  caption.font = { name: FONT, size: 12, bold: true };
  ws.getRow(1).height = 20;

  // Header.
  lead.forEach((text, i) => {
    ws.mergeCells(top, i + 1, top + depth - 1, i + 1);
    const c = ws.getCell(top, i + 1);
    c.value = text;
  });
  for (const h of cells) {
    if (h.r0 !== h.r1 || h.c0 !== h.c1) ws.mergeCells(top + h.r0, L + 1 + h.c0, top + h.r1, L + 1 + h.c1);
    ws.getCell(top + h.r0, L + 1 + h.c0).value = h.text;
  }
  for (let r = top; r < firstData; r++)
    for (let c = 1; c <= L + columns.length; c++) style(ws.getCell(r, c), { bold: true, fill: HEADER_FILL, h: 'center', wrap: true });

  // Members, then the exact sums, then the SUM formulas.
  const decimals = decimalCells(form);
  const isFee = (path: string) => decimals.has(path);
  const put = (cell: ExcelJS.Cell, path: string, value: unknown) => {
    if (isFee(path)) {
      const text = String(value);
      cell.value = Number(text);
      cell.numFmt = scaleOf(text) ? `0.${'0'.repeat(scaleOf(text))}` : '0';
      if (!fitsDouble(text)) cell.note = `准确金额：${text}（位数超过表格数值的精度，以此为准）`;
    } else cell.value = value as number;
  };
  resolved.forEach((report, i) => {
    const r = firstData + i;
    ws.getCell(r, 1).value = i + 1;
    ws.getCell(r, 2).value = report.agency;
    if (meta.yearColumn) ws.getCell(r, 3).value = report.year;
    columns.forEach((col, j) => put(ws.getCell(r, L + 1 + j), col.path, getPath(report, col.path)));
    for (let c = 1; c <= L + columns.length; c++) style(ws.getCell(r, c), { h: c === 2 ? 'left' : c <= L ? 'center' : undefined });
  });
  ws.getCell(totalRow, 2).value = '合计';
  ws.getCell(formulaRow, 2).value = '合计（公式）';
  ws.getCell(formulaRow, 2).note = '以下各格为 SUM 公式：修改上方任一单位的数字后自动重算；应与“合计”行相同';
  columns.forEach((col, j) => {
    const c = L + 1 + j;
    const value = getPath(sums, col.path);
    put(ws.getCell(totalRow, c), col.path, value);
    const letter = ws.getColumn(c).letter;
    const result = isFee(col.path) ? Number(String(value)) : (value as number);
    const f = ws.getCell(formulaRow, c);
    f.value = n ? { formula: `SUM(${letter}${firstData}:${letter}${totalRow - 1})`, result } : 0;
    f.numFmt = ws.getCell(totalRow, c).numFmt;
  });
  for (const r of [totalRow, formulaRow])
    for (let c = 1; c <= L + columns.length; c++)
      style(ws.getCell(r, c), { bold: true, fill: TOTAL_FILL, h: c === 2 ? 'left' : c <= L ? 'center' : undefined });

  // Widths: numbers, and header labels on one line up to 6 Han characters, else on two; a merged
  // label widens the columns it spans when they are too narrow for it.
  const need = (text: string) => Math.min(30, textWidth(text) <= 12 ? textWidth(text) + 2 : Math.ceil(textWidth(text) / 2) + 3);
  const widths = [
    Math.max(5, String(n).length + 3),
    Math.min(40, Math.max(14, ...resolved.map((r) => textWidth(r.agency) + 2))),
    ...(meta.yearColumn ? [6] : []),
  ];
  columns.forEach((col, j) => {
    const numbers = [...resolved.map((r) => getPath(r, col.path)), getPath(sums, col.path)].map((v) => textWidth(String(v)) + 3);
    const labels = cells.filter((h) => h.c0 === j && h.c1 === j).map((h) => need(h.text));
    widths.push(Math.min(30, Math.max(6, ...labels, ...numbers)));
  });
  for (const h of cells.filter((x) => x.c1 > x.c0)) {
    const have = widths.slice(L + h.c0, L + h.c1 + 1).reduce((a, b) => a + b, 0);
    const extra = (need(h.text) - have) / (h.c1 - h.c0 + 1);
    if (extra > 0) for (let j = h.c0; j <= h.c1; j++) widths[L + j]! += Math.ceil(extra);
  }
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const heights = new Array<number>(depth).fill(1);
  const span = (h: HeaderCell) => widths.slice(L + h.c0, L + h.c1 + 1).reduce((a, b) => a + b, 0);
  for (const h of cells.filter((x) => x.r0 === x.r1)) heights[h.r0] = Math.max(heights[h.r0]!, linesFor(h.text, span(h)));
  for (const h of cells.filter((x) => x.r0 !== x.r1)) {
    const lines = linesFor(h.text, span(h));
    const have = heights.slice(h.r0, h.r1 + 1).reduce((a, b) => a + b, 0);
    if (lines > have) heights[h.r1] = heights[h.r1]! + lines - have;
  }
  heights.forEach((lines, i) => (ws.getRow(top + i).height = lines * LINE_PT + 4));

  ws.views = [{ state: 'frozen', xSplit: L, ySplit: firstData - 1, topLeftCell: ws.getCell(firstData, L + 1).address, activeCell: 'A1' }];
  // A3 landscape (paper code 8, not in exceljs's enum), header rows and the agency column on every page.
  Object.assign(ws.pageSetup, {
    orientation: 'landscape',
    paperSize: 8 as unknown as ExcelJS.PaperSize,
    printTitlesRow: `${top}:${firstData - 1}`,
    printTitlesColumn: `A:${ws.getColumn(L).letter}`,
  } satisfies Partial<ExcelJS.PageSetup>);
  return ws;
}

const SEVERITY = { error: '错误', warning: '警告' } as const;

function checkSheet(wb: ExcelJS.Workbook, members: WorkbookMember[], options: WorkbookOptions) {
  const ws = wb.addWorksheet('核对');
  const head = ['文件', '单位', '汇总', '代码', '级别', '说明', '位置'];
  ws.addRow(head);
  const rows: (string | undefined)[][] = [];
  const list = [
    ...members.map((m) => ({
      name: m.name,
      agency: m.report?.agency.trim() ?? '（无法读取）',
      status: included(m)
        ? m.diagnostics.some((d) => d.severity === 'error')
          ? '已计入（有错误）'
          : '已计入'
        : `未计入：${m.reason ?? '无法读取'}`,
      diagnostics: m.diagnostics,
    })),
  ];
  if (options.summary)
    list.push({ name: options.summary.name, agency: options.summary.agency, status: '汇总本身', diagnostics: options.summary.diagnostics });
  for (const m of list) {
    if (!m.diagnostics.length) rows.push([m.name, m.agency, m.status, '', '', '检查通过', '']);
    for (const d of m.diagnostics) rows.push([m.name, m.agency, m.status, d.code, SEVERITY[d.severity], d.message, d.path]);
  }
  for (const r of rows) ws.addRow(r);
  const caps = [40, 30, 24, 12, 6, 80, 40];
  const widths = head.map((h, i) => Math.min(caps[i]!, Math.max(textWidth(h) + 2, ...rows.map((r) => textWidth(r[i] ?? '') + 2))));
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.eachRow((row, r) =>
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      if (c > head.length) return;
      style(cell, { bold: r === 1, fill: r === 1 ? HEADER_FILL : undefined, wrap: true, h: r === 1 ? 'center' : undefined });
      if (r > 1 && c === 5 && cell.value === '错误') cell.font = { name: FONT, size: 10, color: { argb: 'FFC00000' }, bold: true };
    }),
  );
  fitRows(ws, 2);
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A1' }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: head.length } };
  fitWidth(ws);
}

/** Rows from `from` on: tall enough for their wrapped cells (neither Excel nor Calc grows them on opening). */
function fitRows(ws: ExcelJS.Worksheet, from: number) {
  ws.eachRow((row, r) => {
    if (r < from) return;
    let lines = 1;
    row.eachCell((cell, c) => {
      if (cell.alignment?.wrapText && !cell.isMerged)
        lines = Math.max(lines, linesFor(String(cell.value ?? ''), ws.getColumn(c).width ?? 10));
    });
    if (lines > 1) row.height = lines * LINE_PT + 4;
  });
}

/** Print landscape, one page wide. */
function fitWidth(ws: ExcelJS.Worksheet) {
  Object.assign(ws.pageSetup, {
    orientation: 'landscape',
    paperSize: ExcelJSPaperA4,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
  } satisfies Partial<ExcelJS.PageSetup>);
}
const ExcelJSPaperA4 = 9 as unknown as ExcelJS.PaperSize;

function notesSheet(wb: ExcelJS.Workbook, form: FormSpec, members: WorkbookMember[], options: WorkbookOptions, date: string) {
  const ws = wb.addWorksheet('说明');
  const count = members.filter(included).length;
  const left = members.length - count;
  const version = toolVersion();
  const tables = Object.values(form.tables)
    .map((t) => t.name)
    .join('、');
  const notes = form.summary?.workbookNotes ?? {};
  const lines: [string, string][] = [
    ['内容', options.title],
    ['成员', `共 ${members.length} 份报告：计入 ${count} 份${left ? `，未计入 ${left} 份（原因见“核对”）` : ''}`],
    ...(options.draft ? [['状态', '草稿：有成员未计入或有错误，数字仅供核对，不得发布'] as [string, string]] : []),
    ['生成工具', `xxgk-report${version ? ` ${version}` : ''}（${options.command}）`],
    ['日期', `${date}（按报告年度取次年1月1日，不取当前时间：同样的输入生成逐字节相同的文件）`],
    [tables, notes[tables] ?? '每个单位一行，各列按正式表格的顺序和表头排列'],
    ['合计', notes.合计 ?? '程序逐项精确相加的结果'],
    ['合计（公式）', 'Excel 求和公式（SUM），修改上方任一单位的数字后自动重算，应与“合计”行相同'],
    ['核对', '每个成员报告的检查结果（勾稽关系 R1–R8 等）：文件、单位、代码、级别、说明'],
  ];
  const headRow = (values: string[]) => {
    const row = ws.addRow(values);
    row.eachCell((c) => style(c, { bold: true, fill: HEADER_FILL, h: 'center' }));
  };
  for (const [k, v] of lines) {
    const row = ws.addRow([k, v]);
    style(row.getCell(1), { bold: true, fill: HEADER_FILL });
    style(row.getCell(2), { wrap: true });
    ws.mergeCells(row.number, 2, row.number, 6);
  }
  ws.addRow([]);
  headRow(['序号', '来源文件', '单位', '年度', '计入', 'SHA-256']);
  members.forEach((m, i) => {
    const row = ws.addRow([
      i + 1,
      m.name,
      m.report?.agency.trim() ?? '（无法读取）',
      m.report?.year ?? '',
      included(m) ? '是' : `否：${m.reason ?? '无法读取'}`,
      m.sha256 ?? '',
    ]);
    row.eachCell(
      { includeEmpty: true },
      (c, j) => j <= 6 && style(c, { h: j === 1 || j === 4 ? 'center' : undefined, wrap: j === 2 || j === 3 || j === 5 }),
    );
  });
  const widths = [
    14,
    Math.min(40, Math.max(12, ...members.map((m) => textWidth(m.name) + 2))),
    Math.min(30, Math.max(12, ...members.map((m) => textWidth(m.report?.agency ?? '') + 2))),
    8,
    30,
    66,
  ];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  // The merged text cells of the first block: a height for their wrapped lines.
  const textWidthAll = widths.slice(1).reduce((a, b) => a + b, 0);
  lines.forEach(([, v], i) => (ws.getRow(i + 1).height = linesFor(v, textWidthAll) * LINE_PT + 4));
  fitRows(ws, lines.length + 2);
  fitWidth(ws);
}

function parsedBlank(year: number, format: string): Report {
  const parsed = parseReport(blankReport('—', Math.max(MIN_YEAR, year), format));
  if (!parsed.ok) throw new Error('blank report does not parse');
  return parsed.report;
}

const included = (m: WorkbookMember): boolean => Boolean(m.report) && m.included !== false;

/**
 * Repack with every zip entry dated `date` (JSZip stamps the clock), entries in the same order.
 * exceljs hands over the parts uncompressed; Node's zlib deflates them once (native, several
 * times faster than deflating in JavaScript twice).
 */
function fixedZip(stored: Uint8Array, date: Date): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else chunks.push(chunk);
  });
  for (const [filename, data] of Object.entries(unzipSync(stored))) {
    const entry: ZipInputFile = { filename, size: data.length, crc: crc32(data), compression: 8, mtime: date };
    zip.add(entry);
    entry.ondata!(null, deflateRawSync(data, { level: 6 }), true);
  }
  zip.end();
  if (failure) throw failure;
  return Buffer.concat(chunks);
}

/**
 * The workbook as XLSX bytes. Members without a report, or marked `included: false`, appear only
 * in 核对 and 说明. Throws ReportError (exit 1) when a 合计 overflows.
 */
export async function writeWorkbook(members: WorkbookMember[], options: WorkbookOptions): Promise<Uint8Array> {
  const rows = members.filter(included).map((m) => ({ name: m.name, report: m.report! }));
  const form = formFor(rows[0]?.report.format);
  const year = options.year ?? Math.max(0, ...rows.map((r) => r.report.year));
  const day = `${year + 1}-01-01`;
  const date = new Date(`${day}T00:00:00+08:00`);
  // With no member to list, the 合计 rows show zeros.
  const sums = sumNumbers(rows.length ? rows.map((r) => r.report) : [parsedBlank(year, form.format)], form);
  // exceljs takes about a second to load: only for the commands that write a workbook.
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  wb.creator = 'xxgk-report';
  wb.lastModifiedBy = 'xxgk-report';
  wb.title = options.title;
  wb.created = date;
  wb.modified = date;
  wb.calcProperties = { fullCalcOnLoad: false };
  const yearColumn = new Set(rows.map((r) => r.report.year)).size > 1;
  for (const tableId of Object.keys(form.tables)) {
    const caption = `${form.tables[tableId]!.name} ${tableTitle(form, tableId)}（${options.title}，${rows.length} 个单位）`;
    tableSheet(wb, form, tableId, rows, sums, { yearColumn, caption });
  }
  checkSheet(wb, members, options);
  notesSheet(wb, form, members, options, day);
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } } as ExcelJS.XlsxWriteOptions));
  return fixedZip(bytes, date);
}
