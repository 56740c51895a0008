/**
 * PDF reader (pdf.js): glyph runs with their positions from getTextContent, ruling lines from the
 * operator list (constructPath segments under the current transform, decoded in
 * pdfjs-adapter.ts). Tables are rebuilt from the ruling lines — elementary cells between the
 * lines, merged where a border is absent — and the words inside each cell become its text. Text
 * outside tables becomes lines, page numbers and running headers are dropped, and lines are
 * joined into paragraphs across line and page breaks (Chinese has no hyphens: a flush-left line
 * continues the paragraph above unless that one ended short). A table that ends a page and one
 * that starts the next with the same column lines are one table.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Block, ReadResult, TableBlock, TableCell } from './blocks.js';
import { decodePath, formMatrix, type Matrix } from './pdfjs-adapter.js';
import { refuse } from './refuse.js';
import { TERMINAL } from './text.js';

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

interface Item {
  str: string;
  /** pdf.js's name for the font the run is set in. */
  font?: string;
  x: number;
  x1: number;
  /** Baseline, top-down. */
  y: number;
  size: number;
}
interface Seg {
  /** Horizontal: y fixed, a..b along x. Vertical: x fixed, a..b along y. Top-down coordinates. */
  at: number;
  a: number;
  b: number;
}
interface Line {
  page: number;
  /** The font most of the line is set in. */
  font?: string;
  text: string;
  x: number;
  x1: number;
  y: number;
  size: number;
}
interface PdfTable {
  page: number;
  /** The page its last fragment is on. */
  lastPage: number;
  top: number;
  bottom: number;
  xs: number[];
  rows: number;
  cells: (TableCell & { x0: number; x1: number })[];
}

const TOL = 2.5;

/**
 * What a PDF may hold before reading it goes no further: a report is a few dozen pages of text and
 * ruled tables. Images are never decoded beyond PDF_LIMITS.imagePixels (only counted).
 */
export const PDF_LIMITS = {
  pages: 500,
  /** Operators on one page (a page of a report has a few thousand). */
  operators: 200_000,
  /** Distinct horizontal × vertical ruling-line positions on one page (a table's grid). */
  grid: 250_000,
  /** Graphics states saved one inside another (q … Q); the PDF reference's own limit is 28. */
  saveDepth: 64,
  /** Pixels of an image pdf.js may decode (a scanned A4 page at 300 dpi is 8.7 million). */
  imagePixels: 10_000_000,
} as const;

function cluster(values: number[], tol = TOL): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out.at(-1);
    if (last && v - last.at(-1)! <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

/** Collinear pieces joined (cell borders are often drawn cell by cell). */
function mergeSegs(segs: Seg[]): Seg[] {
  const sorted = [...segs].sort((p, q) => p.at - q.at || p.a - q.a);
  const out: Seg[] = [];
  for (const s of sorted) {
    const same = out.findLast((o) => Math.abs(o.at - s.at) <= 1 && s.a <= o.b + TOL && s.b >= o.a - TOL);
    if (same) {
      same.a = Math.min(same.a, s.a);
      same.b = Math.max(same.b, s.b);
    } else out.push({ ...s });
  }
  return out;
}

class UnionFind {
  parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]!]!;
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** Tables on one page from its ruling lines, with the items that fall inside their cells. */
function tablesOf(page: number, hs: Seg[], vs: Seg[], items: Item[]): { tables: PdfTable[]; rest: Item[] } {
  const H = mergeSegs(hs).filter((s) => s.b - s.a > 4);
  const V = mergeSegs(vs).filter((s) => s.b - s.a > 4);
  const uf = new UnionFind(H.length + V.length);
  H.forEach((h, i) =>
    V.forEach((v, j) => {
      if (v.at >= h.a - TOL && v.at <= h.b + TOL && h.at >= v.a - TOL && h.at <= v.b + TOL) uf.union(i, H.length + j);
    }),
  );
  const groups = new Map<number, { h: Seg[]; v: Seg[] }>();
  H.forEach((h, i) => {
    const g = groups.get(uf.find(i)) ?? { h: [], v: [] };
    g.h.push(h);
    groups.set(uf.find(i), g);
  });
  V.forEach((v, j) => {
    const g = groups.get(uf.find(H.length + j)) ?? { h: [], v: [] };
    g.v.push(v);
    groups.set(uf.find(H.length + j), g);
  });
  const tables: PdfTable[] = [];
  const claimed = new Set<Item>();
  for (const { h, v } of groups.values()) {
    if (h.length < 2 || v.length < 2) continue;
    const xs = cluster([...v.map((s) => s.at), Math.min(...h.map((s) => s.a)), Math.max(...h.map((s) => s.b))]);
    const ys = cluster([...h.map((s) => s.at), Math.min(...v.map((s) => s.a)), Math.max(...v.map((s) => s.b))]);
    const nR = ys.length - 1;
    const nC = xs.length - 1;
    if (nR < 1 || nC < 1) continue;
    const covers = (segs: Seg[], at: number, mid: number) =>
      segs.some((s) => Math.abs(s.at - at) <= TOL && s.a - 1 <= mid && s.b + 1 >= mid);
    const uf2 = new UnionFind(nR * nC);
    for (let i = 0; i < nR; i++)
      for (let j = 0; j < nC; j++) {
        const ym = (ys[i]! + ys[i + 1]!) / 2;
        const xm = (xs[j]! + xs[j + 1]!) / 2;
        if (j + 1 < nC && !covers(v, xs[j + 1]!, ym)) uf2.union(i * nC + j, i * nC + j + 1);
        if (i + 1 < nR && !covers(h, ys[i + 1]!, xm)) uf2.union(i * nC + j, (i + 1) * nC + j);
      }
    const boxes = new Map<number, { r0: number; r1: number; c0: number; c1: number; items: Item[] }>();
    for (let i = 0; i < nR; i++)
      for (let j = 0; j < nC; j++) {
        const root = uf2.find(i * nC + j);
        const b = boxes.get(root);
        if (!b) boxes.set(root, { r0: i, r1: i, c0: j, c1: j, items: [] });
        else Object.assign(b, { r0: Math.min(b.r0, i), r1: Math.max(b.r1, i), c0: Math.min(b.c0, j), c1: Math.max(b.c1, j) });
      }
    const index = (edges: number[], v: number) => {
      for (let k = 0; k < edges.length - 1; k++) if (v >= edges[k]! - 0.5 && v < edges[k + 1]! + 0.5) return k;
      return -1;
    };
    // A run of glyphs that crosses a column line (one text object for a whole row) is cut into its
    // characters, each placed by its estimated position, so two cells never share a run.
    const inTable = items.flatMap((it) => {
      const cy = it.y - it.size * 0.35;
      const crosses = cy > ys[0]! && cy < ys.at(-1)! && xs.some((x) => x > it.x + it.size * 0.3 && x < it.x1 - it.size * 0.3);
      if (!crosses) return [it];
      const chars = [...it.str];
      const w = (it.x1 - it.x) / Math.max(1, chars.length);
      return chars.map((ch, k): Item & { from: Item } => ({
        str: ch,
        x: it.x + k * w,
        x1: it.x + (k + 1) * w,
        y: it.y,
        size: it.size,
        from: it,
      }));
    });
    for (const it of inTable) {
      const cx = (it.x + it.x1) / 2;
      const cy = it.y - it.size * 0.35;
      const i = index(ys, cy);
      const j = index(xs, cx);
      if (i < 0 || j < 0) continue;
      boxes.get(uf2.find(i * nC + j))!.items.push(it);
      claimed.add('from' in it ? (it.from as Item) : it);
    }
    const cells = [...boxes.values()]
      .sort((p, q) => p.r0 - q.r0 || p.c0 - q.c0)
      .map((b) => ({
        r: b.r0,
        c: b.c0,
        rs: b.r1 - b.r0 + 1,
        cs: b.c1 - b.c0 + 1,
        text: cellText(b.items),
        x0: xs[b.c0]!,
        x1: xs[b.c1 + 1]!,
      }));
    tables.push({ page, lastPage: page, top: ys[0]!, bottom: ys.at(-1)!, xs, rows: nR, cells });
  }
  return { tables, rest: items.filter((it) => !claimed.has(it)) };
}

/** A cell's words: lines top to bottom, each left to right, joined without spaces (a wrapped number is one number). */
function cellText(items: Item[]): string {
  return toLines(0, items)
    .map((l) => l.text)
    .join('');
}

/** Items → lines by baseline, left to right; a space only between two Latin words. */
function toLines(page: number, items: Item[]): Line[] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Item[][] = [];
  for (const it of sorted) {
    const line = lines.find((l) => Math.abs(l[0]!.y - it.y) <= Math.max(l[0]!.size, it.size) * 0.4);
    if (line) line.push(it);
    else lines.push([it]);
  }
  return lines.map((l) => {
    l.sort((a, b) => a.x - b.x);
    let text = '';
    let end = -Infinity;
    for (const it of l) {
      if (text && it.x - end > it.size * 0.25 && /[A-Za-z0-9]$/u.test(text) && /^[A-Za-z0-9]/u.test(it.str)) text += ' ';
      text += it.str;
      end = Math.max(end, it.x1);
    }
    const fonts = new Map<string | undefined, number>();
    for (const it of l) fonts.set(it.font, (fonts.get(it.font) ?? 0) + it.str.length);
    return {
      page,
      font: [...fonts].sort((a, b) => b[1] - a[1])[0]?.[0],
      text: text.replace(/\s+/gu, ' ').replace(CJK_SPACE, '').trim(),
      x: l[0]!.x,
      x1: Math.max(...l.map((i) => i.x1)),
      y: l[0]!.y,
      size: Math.max(...l.map((i) => i.size)),
    };
  });
}

/** Spaces next to a Chinese character or full-width sign: justification gaps, not text. */
const CJK_SPACE = /(?<=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’—…])\s+|\s+(?=[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’—…])/gu;

const PAGE_NUMBER = /^(?:[-—–－―~·•\s]*\d{1,4}[-—–－―~·•\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/u;

function toTableBlock(t: PdfTable): TableBlock {
  return {
    kind: 'table',
    rows: t.rows,
    cols: t.xs.length - 1,
    cells: t.cells.map(({ r, c, rs, cs, text }) => ({ r, c, rs, cs, text })),
    page: t.page,
  };
}

/** One table continuing another on the next page, when their column lines agree. */
function continues(a: PdfTable, b: PdfTable): boolean {
  if (Math.abs(a.xs[0]! - b.xs[0]!) > 3 || Math.abs(a.xs.at(-1)! - b.xs.at(-1)!) > 3) return false;
  const common = b.xs.filter((x) => a.xs.some((y) => Math.abs(x - y) <= 3)).length;
  return common >= Math.min(a.xs.length, b.xs.length) * 0.6;
}

function joinTables(a: PdfTable, b: PdfTable): PdfTable {
  const xs = cluster([...a.xs, ...b.xs], 3);
  const near = (x: number) => xs.reduce((best, v, k) => (Math.abs(v - x) < Math.abs(xs[best]! - x) ? k : best), 0);
  const remap = (t: PdfTable, dr: number) =>
    t.cells.map((cell) => {
      const c = near(cell.x0);
      return { ...cell, r: cell.r + dr, c, cs: Math.max(1, near(cell.x1) - c) };
    });
  return {
    page: a.page,
    lastPage: b.lastPage,
    top: a.top,
    bottom: b.bottom,
    xs,
    rows: a.rows + b.rows,
    cells: [...remap(a, 0), ...remap(b, a.rows)],
  };
}

let pdfjsPromise: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | undefined;

export async function readPdf(bytes: Uint8Array, file?: string): Promise<ReadResult> {
  pdfjsPromise ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdfjs = await pdfjsPromise;
  const { OPS } = pdfjs;
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  let doc;
  try {
    doc = await pdfjs.getDocument({
      data: new Uint8Array(bytes), // pdf.js transfers (detaches) the buffer it is given
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      cMapUrl: `${join(root, 'cmaps')}/`,
      cMapPacked: true,
      standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
      maxImageSize: PDF_LIMITS.imagePixels,
    }).promise;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') refuse('PASSWORD', 'PDF 有密码保护，无法导入：请提供未加密的文件', file);
    refuse('CORRUPT', `PDF 文件已损坏，无法读取（${e instanceof Error ? e.message : String(e)}）`, file);
  }
  const pages: { lines: Line[]; tables: PdfTable[]; height: number }[] = [];
  let chars = 0;
  let images = 0;
  if (doc.numPages > PDF_LIMITS.pages) {
    void doc.destroy();
    refuse('TOO_MANY_PAGES', `PDF 有 ${doc.numPages} 页，上限 ${PDF_LIMITS.pages} 页，不是一份年度报告，拒绝导入`, file);
  }
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      let page;
      try {
        page = await doc.getPage(p);
      } catch (e) {
        // A page tree that contains itself, a missing page object: pdf.js says which.
        refuse('CORRUPT', `PDF 的页面结构已损坏，无法读取第 ${p} 页（${e instanceof Error ? e.message : String(e)}），拒绝导入`, file);
      }
      const [vx0, , , vy1] = page.view as [number, number, number, number];
      const height = vy1 - page.view[1]!;
      // The operators first: their count and nesting are checked before the text is extracted
      // (pdf.js's text extraction is quadratic in the nesting of saved states).
      const ops = await page.getOperatorList();
      if (ops.fnArray.length > PDF_LIMITS.operators)
        refuse('TOO_COMPLEX', `PDF 第 ${p} 页有 ${ops.fnArray.length} 个绘图操作，上限 ${PDF_LIMITS.operators} 个，拒绝导入`, file);
      let depth = 0;
      for (const fn of ops.fnArray) {
        if (fn === OPS.save && ++depth > PDF_LIMITS.saveDepth)
          refuse('TOO_COMPLEX', `PDF 第 ${p} 页的图形状态嵌套超过 ${PDF_LIMITS.saveDepth} 层（q … Q），拒绝导入`, file);
        else if (fn === OPS.restore) depth = Math.max(0, depth - 1);
      }
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!('str' in raw) || !raw.str.trim()) continue;
        const [a, b, c, d, e, f] = raw.transform as Matrix;
        const size = Math.hypot(c, d) || Math.hypot(a, b);
        if (Math.abs(b) > Math.abs(a) * 0.2) continue; // rotated text (a watermark)
        chars += raw.str.trim().length;
        items.push({ str: raw.str, font: raw.fontName, x: e - vx0, x1: e - vx0 + raw.width, y: vy1 - f, size });
      }
      const hs: Seg[] = [];
      const vs: Seg[] = [];
      let ctm: Matrix = [1, 0, 0, 1, 0, 0];
      const stack: Matrix[] = [];
      const paint = new Set<number>([
        OPS.stroke,
        OPS.closeStroke,
        OPS.fill,
        OPS.eoFill,
        OPS.fillStroke,
        OPS.eoFillStroke,
        OPS.closeFillStroke,
        OPS.closeEOFillStroke,
      ]);
      const fills = new Set<number>([OPS.fill, OPS.eoFill]);
      for (let k = 0; k < ops.fnArray.length; k++) {
        const fn = ops.fnArray[k]!;
        const args = ops.argsArray[k] as unknown[];
        if (fn === OPS.save) stack.push(ctm);
        else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
        else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
        else if (fn === OPS.paintFormXObjectBegin) {
          stack.push(ctm);
          const form = formMatrix(args);
          if (form) ctm = multiply(ctm, form);
        } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
        else if (
          fn === OPS.paintImageXObject ||
          fn === OPS.paintInlineImageXObject ||
          fn === OPS.paintImageMaskXObject ||
          fn === OPS.paintImageXObjectRepeat
        )
          images++;
        else if (fn === OPS.constructPath) {
          const path = decodePath(args);
          if (!path || !paint.has(path.paint)) continue;
          const op = path.paint;
          const pts = path.subpaths.map((sub) => sub.map(([x, y]) => apply(ctm, x, y)));
          for (const poly of pts) {
            const xsP = poly.map((q) => q[0] - vx0);
            const ysP = poly.map((q) => vy1 - q[1]);
            const w = Math.max(...xsP) - Math.min(...xsP);
            const h = Math.max(...ysP) - Math.min(...ysP);
            if (fills.has(op) || poly.length === 5) {
              // A thin filled rectangle is a ruling line; a larger one only shades a cell.
              if (h <= 3 && w > 3) hs.push({ at: (Math.max(...ysP) + Math.min(...ysP)) / 2, a: Math.min(...xsP), b: Math.max(...xsP) });
              else if (w <= 3 && h > 3)
                vs.push({ at: (Math.max(...xsP) + Math.min(...xsP)) / 2, a: Math.min(...ysP), b: Math.max(...ysP) });
              else if (!fills.has(op)) for (let i = 1; i < poly.length; i++) segment(xsP[i - 1]!, ysP[i - 1]!, xsP[i]!, ysP[i]!, hs, vs);
              continue;
            }
            for (let i = 1; i < poly.length; i++) segment(xsP[i - 1]!, ysP[i - 1]!, xsP[i]!, ysP[i]!, hs, vs);
          }
        }
      }
      const grid = new Set(hs.map((h) => Math.round(h.at))).size * new Set(vs.map((v) => Math.round(v.at))).size;
      if (grid > PDF_LIMITS.grid)
        refuse('TOO_COMPLEX', `PDF 第 ${p} 页的表格线过多（${hs.length} 条横线、${vs.length} 条竖线），不是报告的表格，拒绝导入`, file);
      const { tables, rest } = tablesOf(p, hs, vs, items);
      pages.push({ lines: toLines(p, rest), tables, height });
      page.cleanup();
    }
  } finally {
    void doc.destroy();
  }
  if (chars < 10)
    refuse(
      'SCAN',
      `扫描件，没有文字层，无法导入${images ? `（PDF 共 ${doc.numPages} 页，只有图片）` : '（PDF 中没有文字）'}：请使用原始的 Word 或 PDF 文件`,
      file,
    );
  return { blocks: assemble(pages), notes: [] };
}

function segment(x0: number, y0: number, x1: number, y1: number, hs: Seg[], vs: Seg[]): void {
  if (Math.abs(y1 - y0) <= 0.5 && Math.abs(x1 - x0) > 3) hs.push({ at: (y0 + y1) / 2, a: Math.min(x0, x1), b: Math.max(x0, x1) });
  else if (Math.abs(x1 - x0) <= 0.5 && Math.abs(y1 - y0) > 3) vs.push({ at: (x0 + x1) / 2, a: Math.min(y0, y1), b: Math.max(y0, y1) });
}

/** Page lines and tables → blocks: noise dropped, paragraphs joined, split tables joined. */
function assemble(pages: { lines: Line[]; tables: PdfTable[]; height: number }[]): Block[] {
  // Page numbers and running headers/footers: in the top or bottom margin, a page number pattern
  // or the same text (digits aside) on several pages.
  const margin = (l: Line, h: number) => l.y < h * 0.1 || l.y > h * 0.86;
  const repeats = new Map<string, number>();
  for (const pg of pages)
    for (const l of new Set(pg.lines.filter((l) => margin(l, pg.height)).map((l) => l.text.replace(/\d+/gu, '#'))))
      repeats.set(l, (repeats.get(l) ?? 0) + 1);
  const noise = (l: Line, h: number) =>
    PAGE_NUMBER.test(l.text)
      ? margin(l, h) || /^[-—–－―]/u.test(l.text)
      : margin(l, h) && pages.length > 2 && (repeats.get(l.text.replace(/\d+/gu, '#')) ?? 0) >= 2;
  for (const pg of pages) pg.lines = pg.lines.filter((l) => !noise(l, pg.height));

  // The text block: the usual left edge and right edge of body lines, and the body size.
  const all = pages.flatMap((p) => p.lines);
  const sizes = new Map<number, number>();
  for (const l of all) sizes.set(Math.round(l.size), (sizes.get(Math.round(l.size)) ?? 0) + l.text.length);
  const body = [...sizes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12;
  const faces = new Map<string | undefined, number>();
  for (const l of all) faces.set(l.font, (faces.get(l.font) ?? 0) + l.text.length);
  const bodyFont = [...faces].sort((a, b) => b[1] - a[1])[0]?.[0];
  const bodyLines = all.filter((l) => Math.round(l.size) === body);
  const starts = new Map<number, number>();
  for (const l of bodyLines) starts.set(Math.round(l.x), (starts.get(Math.round(l.x)) ?? 0) + 1);
  const left = Math.min(...[...starts].filter(([, n]) => n >= Math.max(2, bodyLines.length * 0.08)).map(([x]) => x), Infinity);
  const leftEdge = Number.isFinite(left) ? left : Math.min(...bodyLines.map((l) => l.x));
  const ends = bodyLines.map((l) => l.x1).sort((a, b) => a - b);
  const rightEdge = ends[Math.floor(ends.length * 0.9)] ?? 0;
  const centre = (leftEdge + rightEdge) / 2;

  type Flow = { kind: 'line'; line: Line } | { kind: 'table'; table: PdfTable };
  const flow: Flow[] = [];
  for (const pg of pages) {
    const items: (Flow & { y: number })[] = [
      ...pg.lines.map((line) => ({ kind: 'line' as const, line, y: line.y })),
      ...pg.tables.map((table) => ({ kind: 'table' as const, table, y: table.top })),
    ].sort((a, b) => a.y - b.y);
    for (const it of items) {
      const prev = flow.at(-1);
      if (it.kind === 'table' && prev?.kind === 'table' && prev.table.lastPage === it.table.page - 1 && continues(prev.table, it.table)) {
        prev.table = joinTables(prev.table, it.table);
        continue;
      }
      flow.push(it.kind === 'line' ? { kind: 'line', line: it.line } : { kind: 'table', table: it.table });
    }
  }

  const blocks: Block[] = [];
  let prev: Line | undefined;
  const HEADING_START = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])/u;
  for (const f of flow) {
    if (f.kind === 'table') {
      blocks.push(toTableBlock(f.table));
      prev = undefined;
      continue;
    }
    const l = f.line;
    const size = l.size;
    // Centred: away from both edges (a justified first line, indented two characters and reaching
    // the right edge, is not centred however near its middle falls).
    const centred = l.x - leftEdge > size * 2 && l.x1 < rightEdge - size * 0.5 && Math.abs((l.x + l.x1) / 2 - centre) < size * 1.5;
    const indented = l.x - leftEdge > size * 0.9;
    const last = blocks.at(-1);
    const bigLines =
      prev !== undefined &&
      prev.page === l.page &&
      size > body * 1.15 &&
      Math.abs(prev.size - size) <= size * 0.1 &&
      last?.kind === 'p' &&
      last.heading === true &&
      l.y - prev.y < size * 2.5;
    const continues =
      bigLines ||
      (prev !== undefined &&
        last?.kind === 'p' &&
        !indented &&
        !centred &&
        !last.centred &&
        !(last.heading && prev.font !== l.font) &&
        Math.abs(prev.size - size) <= size * 0.1 &&
        prev.x1 >= rightEdge - prev.size * 1.5 &&
        !(HEADING_START.test(l.text) && TERMINAL.test(prev.text)));
    if (continues && last?.kind === 'p') {
      const sep = /[A-Za-z0-9]$/u.test(last.text) && /^[A-Za-z0-9]/u.test(l.text) ? ' ' : '';
      last.text += sep + l.text;
    } else
      blocks.push({
        kind: 'p',
        text: l.text,
        page: l.page,
        indent: Math.round(l.x - leftEdge),
        // A heading: larger than the body, or a short line in another face (黑体, 楷体).
        ...(size > body * 1.15 || (l.font !== bodyFont && l.text.length <= 40) ? { heading: true } : {}),
        ...(centred ? { centred: true } : {}),
      });
    prev = l;
  }
  return blocks;
}
