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
}

export interface RowSpec {
  /** `header` rows repeat when a table breaks; `data` rows carry bindings. */
  kind: 'header' | 'data';
  cells: CellSpec[];
}

export interface TableSpec {
  /** `表二`, `表三`, `表四`: the short name diagnostics use. */
  name: string;
  /** Relative column widths (official grid proportions). */
  columns: number[];
  /** Number of leading rows that repeat at the top of each page if the table breaks. */
  headerRows: number;
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

export interface PartSpec {
  /** The official heading, with its number: `一、总体情况`. */
  heading: string;
  /** The model field whose content goes under the heading. */
  field: 'overview' | 'proactive' | 'applications' | 'reviewsAndLawsuits' | 'problems' | 'other';
  /** The official table printed in this part, if any. */
  table?: string;
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
  body: TextStyleSpec & { indentChars: number };
  heading1: TextStyleSpec & { indentChars: number };
  heading2: TextStyleSpec & { indentChars: number };
  /** Tables; `minSize` is the smallest size a table may be set at to keep it on one page. */
  table: TextStyleSpec & { paddingPt: number; borderPt: number; minSize: number };
  /** The sub-item text size and pitch for 落款 is the body's. */
  pageNumber: { role: FontRole; size: number; gapBelowTextMm: number; indentChars: number; dash: string };
  /** How a draft is marked: a watermark across each page, and the header line where a format has one. */
  draft: DraftMark;
  /** The fonts the official format names, for documents edited on machines that have them. */
  officialFonts: Record<FontRole, string>;
}

export interface FormSpec {
  format: string;
  /** Human name of the format, e.g. 国办公开办函〔2021〕30号. */
  source: string;
  typography: TypographySpec;
  parts: PartSpec[];
  tables: Record<string, TableSpec>;
  /** Official labels of model fields that are not table cells, for diagnostics. */
  fieldLabels: Record<string, string>;
  /** Subsection numbering: `（一）`, `（二）` … */
  subsectionNumber: (index: number) => string;
  /** Default title for a report. */
  defaultTitle: (agency: string, year: number) => string;
}
