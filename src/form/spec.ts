import type { ZodType } from 'zod';

/**
 * The shape of a form: the data in `layouts/<format>` that says what an official format is — its
 * parts, its tables cell by cell, the model path each data cell holds, its typography. Nothing here
 * knows a renderer or a reader; `src/layout/` turns a form plus a report into the document IR, and
 * `src/import/` reads published documents back through the same grids.
 */

/** A cell of an official table, given at its origin (top-left) position only. */
export interface CellSpec {
  /** 0-based column of the cell's origin. */
  c: number;
  /** Fixed official text (a label). */
  text?: string;
  /** A binding to a value of the resolved report, as a dotted path (`applications.received.naturalPerson`). */
  bind?: string;
  rs?: number;
  cs?: number;
  /** Horizontal alignment; labels in the first column of a grid read better left-aligned. */
  align?: 'left' | 'center';
  /**
   * What a bound cell holds: a count (a non-negative integer, the default) or a decimal kept as
   * the text the user wrote (a sum of money), which is summed exactly and imported as text.
   */
  value?: 'count' | 'decimal';
  /**
   * Other ways published reports print this label, which the importer accepts with a warning:
   * older names (`规范性文件` for `行政规范性文件`). Spacing, `1、`/`1.` and full-width forms need no
   * entry (every label is compared that way).
   */
  variants?: string[];
  /**
   * A label spanning several rows (a group such as `（六）其他处理`) that older layouts print as one
   * row: the label of the row that takes that row's numbers when they are not all zero (the others
   * read 0, with a warning that the document does not split them). All zeros make every row 0.
   */
  unsplit?: string;
  /** Shaded with the table shade of the format's typography (the template's 第二十条 rows). */
  shaded?: true;
}

export interface RowSpec {
  /** `header` rows repeat when a table breaks; `data` rows carry bindings. */
  kind: 'header' | 'data';
  cells: CellSpec[];
  /**
   * A data row some reports leave out (a department makes no 规章): missing from a table the
   * document holds, its numbers read 0 with a warning instead of being gaps.
   */
  optional?: true;
}

export interface TableSpec {
  /** `表二`, `表三`, `表四`: the short name diagnostics use. */
  name: string;
  /** Relative column widths (official grid proportions). */
  columns: number[];
  /** Number of leading rows that repeat at the top of each page if the table breaks. */
  headerRows: number;
  /** The rule under the header rows is the heavier one of the typography (`headerRulePt`). */
  heavyHeaderRule?: true;
  rows: RowSpec[];
}

/**
 * The roles a format prints its text in. `src/fonts` names the same roles for the faces it loads
 * (it imports nothing of ours); `src/layout` checks at compile time that the two lists agree.
 */
export type FontRole = 'title' | 'body' | 'heading1' | 'heading2' | 'table' | 'pageNumber';

export interface TextStyleSpec {
  role: FontRole;
  /** Font size in pt. */
  size: number;
  /** Distance between baselines in pt. */
  linePitch: number;
}

/**
 * A part of the report under its official heading. What it prints, in this order: its table, the
 * paragraphs at a model path, the numbered sections (`（一）小标题` + paragraphs) at a model path.
 */
export interface PartSpec {
  /** The official heading, with its number: `一、总体情况`. */
  heading: string;
  /** The model field whose content goes under the heading. */
  field: string;
  /** The official table printed in this part, if any (a key of `FormSpec.tables`). */
  table?: string;
  /** Dotted model path of a list of paragraphs (`string[]`, may be absent from a report). */
  paragraphs?: string;
  /** Dotted model path of a list of sections (`{ heading, paragraphs }[]`). */
  sections?: string;
  /** An example subsection heading, as a hint in the editor (`主动公开`). */
  example?: string;
  /**
   * Key words that identify the heading when a report words it otherwise (`五、存在的主要问题及整改措施`):
   * a short paragraph with the heading's number and each of these words is the heading, with a warning.
   */
  keywords?: string[];
}

/** A finding of a check, shaped as the diagnostics of `src/diagnostics.ts`. */
export interface Finding {
  code: string;
  severity: 'error' | 'warning';
  /** JSON path: `applications.total.naturalPerson`. */
  path: string;
  message: string;
}

/**
 * A sum of the form: the cell at `total` holds the sum of the cells at `parts` (dotted model
 * paths of bound cells). A total the report gives is checked. One it omits is computed: by the
 * first sum naming it that has a part the report gives (`secondary` sums tried last), or else by
 * the first; a sum checks the computed total only when another, primary, sum computed it.
 */
export interface SumSpec {
  total: string;
  parts: string[];
  /**
   * A second way of adding up a total another sum computes (gov-2021's （七）总计 column total, down
   * the 21 leaf rows): it checks what the primary sum computed, and computes the total itself only
   * when the primary sum has no part the report gives.
   */
  secondary?: true;
}

/**
 * A family of sums checked by one rule. `message` is a template: `{table}` the table's name,
 * `{row}` the total's row labels, `{column}` its column label, `{group}` its column labels but the
 * last, `{partColumns}` the parts' column labels joined by `、`, `{total}` the given total, `{sum}`
 * the parts' sum, `{terms}` the parts' values joined by ` + `.
 */
export interface TotalCheck {
  code: string;
  description: string;
  message: string;
  sums: SumSpec[];
}

/**
 * A balance: the cells at `left` add up to the cells at `right`. `message` is a template:
 * `{table}`, `{column}` (of the first left cell), `{left}`, `{right}` (the two sums), `{l0}`, `{l1}` …
 * and `{r0}`, `{r1}` … (each cell's value).
 */
export interface BalanceSpec {
  /** JSON path the finding names (`applications.*.naturalPerson`). */
  path: string;
  left: string[];
  right: string[];
}

export interface BalanceCheck {
  code: string;
  description: string;
  message: string;
  balances: BalanceSpec[];
}

/**
 * A number carried from last year's report: this year's cell at `now` = last year's at `previous`
 * plus this year's `plus` cells minus this year's `minus` cells. `message` is a template:
 * `{table}`, `{row}`, `{column}` (of `now`), `{now}`, `{before}` (last year's value), `{previousYear}`,
 * `{p0}` … and `{m0}` … (the plus and minus values), `{expected}`.
 */
export interface CarrySpec {
  now: string;
  previous: string;
  plus?: string[];
  minus?: string[];
}

export interface CarryCheck {
  code: string;
  description: string;
  severity: 'error' | 'warning';
  message: string;
  carries: CarrySpec[];
}

/** What every report has, whatever its format: the envelope around the parts. */
export interface ReportEnvelope {
  format: string;
  agency: string;
  year: number;
  title?: string;
  preface: string[];
  signature?: { name: string; date: string };
}

/** A report of some format: the envelope plus the format's own fields. */
export type AnyReport = ReportEnvelope & { [field: string]: unknown };

/** A rule of one format that is not a sum, a balance or a carry (text length, a required mention). */
export interface FormatRule {
  code: string;
  description: string;
  check(ctx: { report: AnyReport; previous?: AnyReport; form: FormSpec }): Finding[];
}

export interface DraftMark {
  text: string;
  role: FontRole;
  /** Watermark size, pt. */
  size: number;
  /** Size of the mark in a page header, pt. */
  headerSize: number;
  /** RGB hex, e.g. `C00000`. */
  color: string;
  opacity: number;
  /** Degrees, counter-clockwise. */
  angle: number;
}

export interface TypographySpec {
  page: { widthMm: number; heightMm: number; marginTopMm: number; marginLeftMm: number; textWidthMm: number; textHeightMm: number };
  /** Lines and characters per full page (the GB/T 9704 grid). */
  grid: { lines: number; chars: number };
  title: TextStyleSpec & { spaceAfterLines: number };
  /**
   * Body text; `minLastLineChars`, the fewest characters a paragraph's last line holds before its
   * closing punctuation (no 孤字); `minLinesAtBreak`, the fewest lines of a paragraph on either side
   * of a page break (no widow or orphan); `maxGapEm`, the widest gap a justified line may put
   * between two characters, in ems.
   */
  body: TextStyleSpec & { indentChars: number; minLastLineChars: number; minLinesAtBreak: number; maxGapEm: number };
  heading1: TextStyleSpec & { indentChars: number };
  heading2: TextStyleSpec & { indentChars: number };
  /**
   * Tables; `minSize` is the smallest size a table may be set at to keep it on one page;
   * `linesAfter`, the blank body lines between a table and the heading that follows it;
   * `shade`, the fill (RGB hex) of shaded cells; `headerRulePt`, the heavier rule under the header
   * rows of a table that has one.
   */
  table: TextStyleSpec & {
    paddingPt: number;
    borderPt: number;
    minSize: number;
    linesAfter: number;
    shade: string;
    headerRulePt: number;
  };
  /**
   * 落款 (GB/T 9704 §7.3.5.2, a document without a seal), in characters of the body's pitch: the
   * agency's right indent; how far right of the agency's first character the date starts; the
   * date's right indent when it is longer than the agency (whose indent then grows to match).
   */
  signature: { indentChars: number; dateShiftChars: number };
  /** The sub-item text size and pitch for 落款 is the body's. */
  pageNumber: { role: FontRole; size: number; gapBelowTextMm: number; indentChars: number; dash: string };
  /** How a draft is marked: a watermark across each page, and the header line where a format has one. */
  draft: DraftMark;
  /** The fonts the official format names, for documents edited on machines that have them. */
  officialFonts: Record<FontRole, string>;
}

/**
 * A format: everything that says what it is — the form (parts, grids, labels, bindings,
 * typography), the model schema, the sums and balances its numbers obey, the blank report, and its
 * own rules. One folder of `layouts/` exports one, and `layouts/index.ts` registers it.
 */
export interface FormSpec {
  format: string;
  /** Human name of the format, e.g. 国办公开办函〔2021〕30号. */
  source: string;
  typography: TypographySpec;
  parts: PartSpec[];
  tables: Record<string, TableSpec>;
  /**
   * Row labels left out when a message names a row (a label spanning most of a table, such as
   * `三、本年度办理结果`, says nothing about which row).
   */
  quietRowLabels?: string[];
  /** Official labels of model fields that are not table cells, for diagnostics. */
  fieldLabels: Record<string, string>;
  /** Subsection numbering: `（一）`, `（二）` … */
  subsectionNumber: (index: number) => string;
  /** Default title for a report. */
  defaultTitle: (agency: string, year: number) => string;
  /** The document's metadata: its subject, and keywords before the year and the agency. */
  /**
   * The document's metadata: its subject, keywords before the year and the agency, and the portal
   * column a web page of it is published in (the 政府网站 ColumnName).
   */
  document: { subject: (year: number) => string; keywords: string[]; column?: string };
  /**
   * The zod schema of a report of this format (the envelope's fields included); its `format`
   * field accepts this format's id and defaults to it only for the default format.
   */
  schema: ZodType;
  /** A complete blank report for a clerk to fill in (`xxgk init`). */
  blank: (agency: string, year: number) => Record<string, unknown>;
  /** The sums of the tables, by rule: computed when omitted, checked when given. */
  totals: TotalCheck[];
  /** Balances between cells (e.g. what came in = what went out). */
  balances: BalanceCheck[];
  /** Numbers carried from last year's report (checked against it; `xxgk init --from` carries them). */
  carries: CarryCheck[];
  /** The format's other rules. */
  rules: FormatRule[];
  /**
   * The generated paragraph of a summary report (`xxgk sum`): where it goes (a dotted path of a
   * paragraph list) and its text from the summing body, the members' count and the summed report.
   */
  summary?: {
    paragraphs: string;
    text: (agency: string, count: number, sums: AnyReport) => string;
    /**
     * Lines of the workbook's 说明 sheet, by their label: what a row of the table sheets holds (under
     * the tables' names joined by `、`) and how 合计 adds up (under `合计`).
     */
    workbookNotes?: Record<string, string>;
  };
  /** What the office's review compares in this format's reports. */
  review?: ReviewSpec;
}

/**
 * What `xxgk review` compares in a format's reports (src/app/review): the cells each kind of
 * statement in the text counts (the review reads a sentence's number as `received`, `concluded` …),
 * the counts compared with last year's, and the groups whose share of a total is worth a look.
 * Paths are dotted model paths of a resolved report; a row counts by its 总计, a group of rows by
 * the sum of theirs. A format without it gets the review's text and unit checks only.
 */
export interface ReviewSpec {
  statements: Record<string, { cell: string; paths: string[] }>;
  counts: { label: string; path: string }[];
  shares: { total: { table: string; label: string; path: string }; groups: { label: string; path: string }[] };
}

/** A format module is its FormSpec. */
export type FormatModule = FormSpec;
