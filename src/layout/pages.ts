/**
 * Pagination: the flow of blocks → one laid-out frame per page (every run at its x and baseline,
 * every table cell's box, rules and lines, the page number). Where a page breaks is decided here,
 * once, by the keep rules below; the flow's blocks are marked with the same breaks for a writer
 * whose format reflows (DOCX).
 *
 * Keep rules (data on the blocks, applied here):
 * - a heading (a style with an outline level) and `keepWithNext`: the whole heading stays on the
 *   page of what follows it (the next paragraph's first line, a table's header and first row, a
 *   group) — so no heading is left alone at a page's foot;
 * - a body paragraph with `keepWithNext` (the last one before the signature): its last line
 *   stays with what follows;
 * - a group (`keepTogether`: a table with its heading) goes to the next page whole when it does
 *   not fit on this one but fits on a page;
 * - a table breaks only between rows, preferably where no row-spanning label crosses the break,
 *   and repeats its header rows on every page it continues on.
 */
import type { FontSet } from '../fonts/index.js';
import type { Block, CellBox, DocumentIR, LineIR, PageFrame, ParagraphBlock, RuleItem, TableIR, TextItem } from './ir.js';
import { setLine } from './measure.js';

type Flow = Omit<DocumentIR, 'pages'>;

/** Tolerance for "fits", pt. */
const EPS = 0.01;

interface Entry {
  block: ParagraphBlock | TableIR;
  /** The group this block opens, when it is the first of one: its height and the space before it (dropped at a page's top). */
  opens?: { height: number; before: number };
}

export function paginate(ir: Flow, fonts: FontSet): PageFrame[] {
  const { page } = ir;
  const m = page.margins;
  const H = page.height - m.top - m.bottom;
  const W = page.width - m.left - m.right;
  const ascent = (role: TextItem['role'], size: number) => (fonts.faces[role].ascent / fonts.faces[role].unitsPerEm) * size;

  const paragraphHeight = (b: ParagraphBlock) => {
    const s = ir.styles[b.style];
    return (b.spaceBefore ?? s.spaceBefore) + b.lines.length * s.linePitch + s.spaceAfter;
  };
  const blockHeight = (b: Block): number =>
    b.type === 'paragraph'
      ? paragraphHeight(b)
      : b.type === 'table'
        ? b.height + b.spaceAfter
        : b.blocks.reduce((a, x) => a + blockHeight(x), 0) + b.spaceAfter;

  // The flow, groups opened up (a group's space after is that of its last block here).
  const entries: Entry[] = [];
  for (const b of ir.blocks) {
    if (b.type !== 'group') entries.push({ block: b });
    else
      b.blocks.forEach((x, i) => {
        if (x.type === 'group') throw new Error('nested groups are not supported');
        const before = x.type === 'paragraph' ? (x.spaceBefore ?? ir.styles[x.style].spaceBefore) : 0;
        entries.push(i === 0 ? { block: x, opens: { height: blockHeight(b) - b.spaceAfter - before, before } } : { block: x });
      });
  }

  const isHeading = (b: ParagraphBlock) => ir.styles[b.style].outlineLevel !== undefined;
  /** Lines a page break leaves together at least, on either side (no orphan, no widow). */
  const atBreak = (b: ParagraphBlock) => ir.styles[b.style].minLinesAtBreak ?? 1;
  /** The lines that must open a page together: the first `atBreak`, or all when fewer could not split. */
  const opening = (b: ParagraphBlock) => (b.lines.length < 2 * atBreak(b) ? b.lines.length : atBreak(b));
  const keeps = (b: ParagraphBlock) => b.keepWithNext ?? ir.styles[b.style].keepWithNext ?? false;
  const tableStart = (t: TableIR) => {
    const b = t.style.border;
    const rows = Math.min(t.rowCount, t.headerRows + 1);
    return b + t.rowHeights.slice(0, rows).reduce((a, h) => a + h + b, 0);
  };
  /** The height that must follow on the same page as whatever keeps with entry k. */
  const follow = (k: number): number => {
    const e = entries[k];
    if (!e) return 0;
    if (e.opens && e.opens.height <= H) return e.opens.before + e.opens.height;
    const b = e.block;
    if (b.type === 'table') return tableStart(b);
    const s = ir.styles[b.style];
    const before = b.spaceBefore ?? s.spaceBefore;
    if (keeps(b) && (isHeading(b) || b.lines.length === 1)) return paragraphHeight(b) + follow(k + 1);
    return before + opening(b) * s.linePitch;
  };

  const pages: PageFrame[] = [];
  let frame!: PageFrame;
  let y = 0; // from the top of the text block
  const newPage = () => {
    frame = { number: pages.length + 1, texts: [], cells: [], rules: [], footer: [] };
    pages.push(frame);
    y = 0;
  };
  newPage();
  const fits = (h: number) => y + h <= H + EPS;
  /** Nothing placed yet on a page after the first: what comes now starts a page. */
  const fresh = () => pages.length > 1 && frame.texts.length === 0 && frame.cells.length === 0;

  const place = (line: LineIR, x: number, baseline: number, role: TextItem['role'], size: number, into: TextItem[]) => {
    for (const r of line.runs) into.push({ x: x + r.x, y: baseline, text: r.text, role, size, spacing: r.spacing });
  };

  const paragraph = (b: ParagraphBlock, k: number) => {
    const s = ir.styles[b.style];
    const before = b.spaceBefore ?? s.spaceBefore;
    if (y > 0) y += before;
    const starts: number[] = [];
    const whole = isHeading(b) && keeps(b);
    const rest = s.spaceAfter + follow(k + 1);
    const n = b.lines.length;
    const least = atBreak(b);
    b.lines.forEach((line, i) => {
      let need = s.linePitch;
      if (whole && i === 0) need = n * s.linePitch + rest;
      else if (!whole && i === 0 && opening(b) > 1) need = opening(b) * s.linePitch + (opening(b) === n && keeps(b) ? rest : 0);
      else if (!whole && n >= 2 * least && least > 1 && i === n - least) need = least * s.linePitch + (keeps(b) ? rest : 0);
      else if (!whole && keeps(b) && i === n - 1) need = s.linePitch + rest;
      if (need > H) need = s.linePitch; // a keep that cannot be kept on any page is dropped
      if (y > 0 && !fits(need)) newPage();
      if (fresh()) starts.push(i);
      const indent = i === 0 && s.align !== 'center' ? s.firstLineIndent : 0;
      const room = W - (b.rightIndent ?? s.rightIndent);
      const x = s.align === 'center' ? (room - line.width) / 2 : s.align === 'right' ? room - line.width : indent;
      const baseline = m.top + y + ascent(s.role, s.size);
      const before = frame.texts.length;
      place(line, m.left + x, baseline, s.role, s.size, frame.texts);
      if (i === 0 && s.outlineLevel === 1 && frame.texts[before]) frame.texts[before]!.outline = b.text;
      y += s.linePitch;
    });
    y += s.spaceAfter;
    if (starts.length) b.pageStarts = starts;
    else delete b.pageStarts;
  };

  const table = (t: TableIR) => {
    const bw = t.style.border;
    const h = t.headerRows;
    const rowH = t.rowHeights;
    const header = rowH.slice(0, h).reduce((a, x) => a + x + bw, 0);
    if (y > 0 && !fits(tableStart(t))) newPage();
    const startsOnNewPage = fresh();
    // Which body rows go on which page: a row never splits; a break is moved up to where no
    // row-spanning label crosses it, unless that label is taller than a page.
    const crossed = (r: number) => t.cells.some((c) => c.r >= h && c.r < r && r < c.r + c.rs);
    const segments: { from: number; to: number }[] = [];
    let from = h;
    let cap = H - y - bw - header;
    let used = 0;
    for (let r = h; r < t.rowCount; r++) {
      if (r > from && used + rowH[r]! + bw > cap + EPS) {
        let at = r;
        while (at > from && crossed(at)) at--;
        if (at === from) at = r;
        segments.push({ from, to: at });
        used = rowH.slice(at, r).reduce((a, x) => a + x + bw, 0);
        from = at;
        cap = H - bw - header;
      }
      used += rowH[r]! + bw;
    }
    segments.push({ from, to: t.rowCount });
    t.pageStarts = [...(startsOnNewPage ? [0] : []), ...segments.slice(1).map((s) => s.from)];
    if (!t.pageStarts.length) delete t.pageStarts;

    const X = [m.left];
    for (const w of t.columns) X.push(X.at(-1)! + w);
    const n = t.columns.length;
    const vx = (k: number) => (k < n ? X[k]! + bw / 2 : X[n]! - bw / 2);
    const { role, size, linePitch, padding } = t.style;

    segments.forEach((seg, si) => {
      if (si > 0) newPage();
      const rows = [...Array(h).keys(), ...Array.from({ length: seg.to - seg.from }, (_, i) => seg.from + i)];
      // Top of each shown row's upper rule, from the page's top.
      const top = new Map<number, number>();
      let cursor = m.top + y;
      for (const r of rows) {
        top.set(r, cursor);
        cursor += bw + rowH[r]!;
      }
      const bottomOf = (r: number) => top.get(r)! + bw + rowH[r]!; // top of the rule below row r
      const rules: RuleItem[] = [];
      for (const cell of t.cells) {
        const shown = rows.filter((r) => r >= cell.r && r < cell.r + cell.rs);
        if (!shown.length) continue;
        const first = shown[0]!;
        const last = shown.at(-1)!;
        const y0 = top.get(first)!;
        const y1 = bottomOf(last);
        const x0 = X[cell.c]!;
        const x1 = X[cell.c + cell.cs]!;
        const hy0 = y0 + bw / 2;
        const hy1 = y1 + bw / 2;
        rules.push(
          { x1: vx(cell.c) - bw / 2, y1: hy0, x2: vx(cell.c + cell.cs) + bw / 2, y2: hy0, width: bw },
          { x1: vx(cell.c) - bw / 2, y1: hy1, x2: vx(cell.c + cell.cs) + bw / 2, y2: hy1, width: bw },
          { x1: vx(cell.c), y1: hy0 - bw / 2, x2: vx(cell.c), y2: hy1 + bw / 2, width: bw },
          { x1: vx(cell.c + cell.cs), y1: hy0 - bw / 2, x2: vx(cell.c + cell.cs), y2: hy1 + bw / 2, width: bw },
        );
        // The text: inside the padding, centred in the part of the cell on this page or at its top.
        const areaLeft = x0 + bw + padding;
        const areaRight = x1 - padding - (cell.c + cell.cs === n ? bw : 0);
        const span = y1 - y0 - bw;
        const clipped = first !== cell.r || last !== cell.r + cell.rs - 1;
        const offset = cell.vAlign === 'middle' && !clipped ? Math.max(0, (span - cell.lines.length * linePitch - 2 * padding) / 2) : 0;
        const lines: TextItem[] = [];
        cell.lines.forEach((line, i) => {
          const x = cell.align === 'center' ? areaLeft + (areaRight - areaLeft - line.width) / 2 : areaLeft;
          place(line, x, y0 + bw + padding + offset + i * linePitch + ascent(role, size), role, size, lines);
        });
        frame.cells.push({
          table: t.name,
          r: cell.r,
          c: cell.c,
          text: cell.text,
          kind: cell.kind,
          x: x0,
          y: y0,
          width: x1 - x0,
          height: y1 + bw - y0,
          lines,
          ...(cell.shade ? { shade: cell.shade } : {}),
        } satisfies CellBox);
      }
      const merged = mergeRules(rules);
      // The rule under the header rows, heavier where the table says so (drawn on the same line).
      if (t.headerRule && h > 0) {
        const under = bottomOf(h - 1) + bw / 2;
        for (const r of merged) if (r.y1 === r.y2 && Math.abs(r.y1 - under) < EPS) r.width = t.headerRule;
      }
      frame.rules.push(...merged);
      y = cursor + bw - m.top;
    });
    y += t.spaceAfter;
  };

  entries.forEach((e, k) => {
    if (e.opens && e.opens.height <= H && y > 0 && !fits(e.opens.before + e.opens.height)) newPage();
    if (e.block.type === 'paragraph') paragraph(e.block, k);
    else table(e.block);
  });

  const f = ir.footer;
  for (const p of pages) {
    const text = `${f.prefix}${p.number}${f.suffix}`;
    const line = setLine(text, { fonts, role: f.role, size: f.size, letterSpacing: 0 });
    const odd = p.number % 2 === 1;
    const x = odd ? m.left + W - f.indent - line.width : m.left + f.indent;
    place(line, x, m.top + H + f.gap + ascent(f.role, f.size), f.role, f.size, p.footer);
  }
  return pages;
}

/** Rules drawn once: collinear rules that touch or overlap become one. */
function mergeRules(rules: RuleItem[]): RuleItem[] {
  const key = (v: number) => Math.round(v * 1000) / 1000;
  const out: RuleItem[] = [];
  for (const horizontal of [true, false]) {
    const lines = new Map<number, RuleItem[]>();
    for (const r of rules) {
      if ((r.y1 === r.y2) !== horizontal) continue;
      const k = key(horizontal ? r.y1 : r.x1);
      const list = lines.get(k) ?? [];
      list.push(r);
      lines.set(k, list);
    }
    for (const k of [...lines.keys()].sort((a, b) => a - b)) {
      const list = lines
        .get(k)!
        .map((r) => (horizontal ? [r.x1, r.x2, r] : [r.y1, r.y2, r]) as [number, number, RuleItem])
        .sort((a, b) => a[0] - b[0]);
      let [s, e, r] = list[0]!;
      const flush = () => out.push(horizontal ? { ...r, x1: s, x2: e } : { ...r, y1: s, y2: e });
      for (const [s2, e2, r2] of list.slice(1)) {
        if (s2 <= e + EPS) e = Math.max(e, e2);
        else {
          flush();
          [s, e, r] = [s2, e2, r2];
        }
      }
      flush();
    }
  }
  return out;
}
