/**
 * The HTML writer: document IR in, one self-contained HTML5 page out — the report as a portal
 * publishes it, with the PDF and DOCX as attachments. It knows nothing of the report model; every
 * decision is in the IR. The writer maps it: the title to `h1` (its hard line breaks to `<br>`),
 * parts to `h2`, sections to `h3`, paragraphs to `p`, the official tables to real tables whose
 * header cells a screen reader can follow, the print typography to an `@media print` style sheet.
 * A browser breaks lines itself, so the IR's set lines are not used (except the title's).
 *
 * The page fetches nothing: no script, no external style sheet, font or image (system CJK fonts
 * by role, the official ones first), and a Content-Security-Policy that forbids scripts.
 */
import type { Block, DocumentIR, FontRole, ParagraphBlock, ParagraphStyle, StyleName, TableCellIR, TableIR } from '../layout/ir.js';

/** What the page allows itself: inline styles only. */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** 仿宋, as the body and the tables are set, then the Song faces a machine is likely to have. */
const FANGSONG = [
  '仿宋_GB2312',
  '仿宋',
  'FangSong',
  'STFangsong',
  '宋体',
  'SimSun',
  'Noto Serif CJK SC',
  'Source Han Serif SC',
  'Songti SC',
  'serif',
];

/**
 * System fonts by role after the official one the IR names: Windows, macOS, then the free faces
 * Linux and Android carry (those the PDF embeds are versions of them), then the generic family.
 */
const FALLBACK_FONTS: Record<FontRole, string[]> = {
  title: [
    '方正小标宋简体',
    '方正小标宋_GBK',
    'FZXiaoBiaoSong-B05S',
    '小标宋',
    'Noto Serif CJK SC',
    'Source Han Serif SC',
    'Songti SC',
    'STSong',
    '宋体',
    'SimSun',
    'serif',
  ],
  body: FANGSONG,
  heading1: ['黑体', 'SimHei', 'STHeiti', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif'],
  heading2: ['楷体_GB2312', '楷体', 'KaiTi', 'STKaiti', 'LXGW WenKai', 'Kaiti SC', 'serif'],
  table: FANGSONG,
  pageNumber: ['宋体', 'SimSun', 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', 'serif'],
};
/** Weights by role: the title is set in a heavy face (小标宋; Noto Serif CJK Black in the PDF). */
const WEIGHT: Record<FontRole, number> = { title: 700, body: 400, heading1: 400, heading2: 400, table: 400, pageNumber: 400 };

/** Body text size on screens; every other size is the IR's, relative to the body's. */
const SCREEN_BODY = '1.0625rem';
/** Table text on screens, relative to the body (the print size, 10.5 pt against 16 pt, is too small for a phone). */
const SCREEN_TABLE = 0.875;
/** The page column's side padding on screens, em of the body. */
const SIDE_PADDING = 1.25;

const ELEMENT: Record<StyleName, string> = { title: 'h1', heading1: 'h2', heading2: 'h3', body: 'p', signature: 'p' };
/** A style that is not its element's usual one carries a class. */
const CLASS: Partial<Record<StyleName, string>> = { signature: 'signature' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\0': '\uFFFD' };
/** Text from the report is text: escaped for element content and attribute values alike. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"'\0]/g, (c) => ESCAPES[c]!);

/** A CSS string; quotes, backslashes, markup characters and controls as hex escapes (so never `</style>`). */
const cssString = (s: string) => `"${s.replace(/["'\\<>&\u0000-\u001f\u007f]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
const GENERIC = new Set(['serif', 'sans-serif', 'monospace']);
const fontStack = (ir: DocumentIR, role: FontRole) =>
  [...new Set([ir.officialFonts[role], ...FALLBACK_FONTS[role]])].map((f) => (GENERIC.has(f) ? f : cssString(f))).join(', ');

/** A number for CSS: at most three decimals, no trailing zeros. */
const n = (x: number) => String(Math.round(x * 1000) / 1000);
const em = (pt: number, size: number) => (pt === 0 ? '0' : `${n(pt / size)}em`);
const MM_PER_PT = 25.4 / 72;
const mm = (pt: number) => `${n(Math.round(pt * MM_PER_PT * 100) / 100)}mm`;

/** Ids (and CSS selectors) from the form's table key, row and column: stable, and safe as written. */
const tableId = (t: TableIR) => t.id.replace(/[^A-Za-z0-9_-]/g, '_');
/**
 * The leading columns of a table that hold only row labels below its header rows (table 3's
 * three): on a phone they stay in view while the numbers scroll.
 */
export const labelColumns = (t: TableIR): number => {
  const body = t.cells.filter((x) => x.r >= t.headerRows);
  const only = (k: number) => body.every((x) => x.c >= k || (x.kind === 'label' && x.c + x.cs <= k));
  for (let k = t.columns.length - 1; k > 0; k--) if (only(k)) return k;
  return 0;
};
/** A phone: narrower than this, tables with row-label columns keep them in view (em of the body). */
const PHONE = 40;
/** On a phone: a row-label column's width, the last one's, and a number column's least width (em of the table's text). */
const PHONE_LABEL = 3.8;
const PHONE_LAST_LABEL = 7;
const PHONE_NUMBER = 3.5;

const cellId = (t: TableIR, r: number, c: number) => `${tableId(t)}-r${r}c${c}`;

export function writeHtml(ir: DocumentIR): string {
  const body = ir.styles.body;
  /** Classes for per-block overrides, named in order of first use. */
  const overrides = new Map<string, { name: string; screen: string; print: string }>();
  const override = (key: string, screen: string, print = '') => {
    let o = overrides.get(key);
    if (!o) overrides.set(key, (o = { name: `x${overrides.size + 1}`, screen, print }));
    return o.name;
  };

  // Each table's part heading: the heading right before it that reads as its caption.
  const tableOf = new Map<ParagraphBlock, TableIR>();
  const headingOf = new Set<TableIR>();
  const flow = ir.blocks.flatMap((b) => (b.type === 'group' ? b.blocks : [b]));
  flow.forEach((b, i) => {
    const before = flow[i - 1];
    if (b.type === 'table' && before?.type === 'paragraph' && before.text === b.caption && !tableOf.has(before)) {
      tableOf.set(before, b);
      headingOf.add(b);
    }
  });
  const headingId = (t: TableIR) => `${tableId(t)}-heading`;

  const paragraph = (b: ParagraphBlock): string => {
    const s = ir.styles[b.style];
    const classes = [CLASS[b.style]];
    if (b.spaceBefore !== undefined && b.spaceBefore !== s.spaceBefore)
      classes.push(override(`${b.style}/before/${b.spaceBefore}`, `margin-top:${em(b.spaceBefore, s.size)}`));
    if (b.rightIndent !== undefined && b.rightIndent !== s.rightIndent)
      classes.push(override(`${b.style}/right/${b.rightIndent}`, `padding-right:${em(b.rightIndent, s.size)}`));
    if (b.keepWithNext !== undefined && b.keepWithNext !== Boolean(s.keepWithNext))
      classes.push(override(`keep/${b.keepWithNext}`, '', `break-after:${b.keepWithNext ? 'avoid' : 'auto'}`));
    // Lines the layout set (the title's) keep their breaks: a screen narrower than the widest one
    // sets them smaller instead (the room is main's width less its padding).
    if (b.hardBreaks && b.widest)
      classes.push(
        override(
          `fit/${b.style}/${b.widest}`,
          `font-size:min(${n(s.size / body.size)}em,calc((100vw - ${2 * SIDE_PADDING}em) * ${Number(((s.size / b.widest) * 0.98).toPrecision(4))}))`,
          `font-size:${n(s.size)}pt`,
        ),
      );
    const cls = classes.filter(Boolean);
    const tag = ELEMENT[b.style];
    const content = b.hardBreaks ? b.lines.map((l) => escapeHtml(l.text)).join('<br>') : escapeHtml(b.text);
    const heads = tableOf.get(b);
    const id = heads ? ` id="${headingId(heads)}"` : '';
    return `<${tag}${id}${cls.length ? ` class="${cls.join(' ')}"` : ''}>${content}</${tag}>`;
  };

  const cell = (t: TableIR, x: TableCellIR): string => {
    const attrs: string[] = [];
    const tag = x.kind === 'label' ? 'th' : 'td';
    if (x.kind === 'label') {
      attrs.push(`id="${cellId(t, x.r, x.c)}"`);
      const scope = x.heads === 'row' ? (x.rs > 1 ? 'rowgroup' : 'row') : x.cs > 1 ? 'colgroup' : 'col';
      attrs.push(`scope="${scope}"`);
    }
    if (x.rs > 1) attrs.push(`rowspan="${x.rs}"`);
    if (x.cs > 1) attrs.push(`colspan="${x.cs}"`);
    if (x.headers?.length) attrs.push(`headers="${x.headers.map((h) => cellId(t, h.r, h.c)).join(' ')}"`);
    const cls = [
      x.align === 'left' ? 'l' : '',
      x.vAlign === 'top' ? 't' : '',
      // A row label of a table whose label columns stay in view on a phone.
      x.kind === 'label' && x.c + x.cs <= labelColumns(t) ? `sk${x.c}` : '',
      // The heavier rule under the header rows, on the cells that end there.
      t.headerRule && x.r + x.rs === t.headerRows ? override(`rule/${t.headerRule}`, `border-bottom-width:${n(t.headerRule)}pt`) : '',
      x.shade && /^[0-9A-Fa-f]{6}$/.test(x.shade)
        ? override(`shade/${x.shade}`, `background-color:#${x.shade};print-color-adjust:exact;-webkit-print-color-adjust:exact`)
        : '',
    ].filter(Boolean);
    if (cls.length) attrs.push(`class="${cls.join(' ')}"`);
    return `<${tag} ${attrs.join(' ')}>${escapeHtml(x.text)}</${tag}>`;
  };

  const table = (t: TableIR): string => {
    for (const x of t.cells)
      if (x.r < t.headerRows && x.r + x.rs > t.headerRows) throw new Error(`${t.name}: R${x.r}C${x.c} spans out of the header rows`);
    const rows = Array.from(
      { length: t.rowCount },
      (_, r) =>
        `<tr>${t.cells
          .filter((x) => x.r === r)
          .map((x) => cell(t, x))
          .join('')}</tr>`,
    );
    // Named by its part's heading (right above it) rather than by a caption repeating it.
    const named = headingOf.has(t) ? ` aria-labelledby="${headingId(t)}"` : '';
    return [
      `<div class="table-wrap" role="region"${named || ` aria-label="${escapeHtml(t.caption)}"`} tabindex="0">`,
      `<table id="${tableId(t)}"${named || ` aria-label="${escapeHtml(t.caption)}"`}>`,
      `<colgroup>${t.columns.map(() => '<col>').join('')}</colgroup>`,
      ...(t.headerRows ? ['<thead>', ...rows.slice(0, t.headerRows), '</thead>'] : []),
      '<tbody>',
      ...rows.slice(t.headerRows),
      '</tbody>',
      '</table>',
      '</div>',
    ].join('\n');
  };

  const tables: TableIR[] = [];
  const block = (b: Block): string => {
    switch (b.type) {
      case 'paragraph':
        return paragraph(b);
      case 'table':
        tables.push(b);
        return table(b);
      case 'group':
        return [`<div class="keep">`, ...b.blocks.map(block), '</div>'].join('\n');
    }
  };
  const content = ir.blocks.map(block).join('\n');
  const draft = ir.draft ? `<div class="draft" role="note"><span>${escapeHtml(ir.draft.text)}</span></div>\n` : '';

  const { meta } = ir;
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(meta.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(meta.title)}</title>`,
    `<meta name="author" content="${escapeHtml(meta.author)}">`,
    `<meta name="description" content="${escapeHtml(meta.subject)}">`,
    `<meta name="keywords" content="${escapeHtml(meta.keywords.join(','))}">`,
    '<meta name="generator" content="xxgk-report">',
    // The 政府网站 conventions a portal's search and column pages read.
    `<meta name="ArticleTitle" content="${escapeHtml(meta.title)}">`,
    ...(meta.published ? [`<meta name="PubDate" content="${escapeHtml(meta.published)}">`] : []),
    `<meta name="ContentSource" content="${escapeHtml(meta.author)}">`,
    ...(meta.column ? [`<meta name="ColumnName" content="${escapeHtml(meta.column)}">`] : []),
    `<style>\n${styleSheet(ir, tables, [...overrides.values()])}\n</style>`,
    '</head>',
    '<body>',
    `${draft}<main>`,
    content,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');

  function styleSheet(ir: DocumentIR, tables: TableIR[], extra: { name: string; screen: string; print: string }[]): string {
    const css: string[] = [];
    const print: string[] = [];
    const phone: string[] = [];
    const rule = (selector: string, decls: (string | false)[]) => `${selector}{${decls.filter(Boolean).join(';')}}`;
    const selectors: Record<StyleName, string> = { title: 'h1', heading1: 'h2', heading2: 'h3', body: 'p', signature: 'p.signature' };

    css.push(
      ':root{color-scheme:light}',
      'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
      rule('body', [
        'margin:0',
        'background:#fff',
        'color:#000',
        `font-family:${fontStack(ir, body.role)}`,
        `font-size:${SCREEN_BODY}`,
        `line-height:${n(body.linePitch / body.size)}`,
      ]),
      // The widest table at its narrowest fits the column on a desktop screen.
      rule('main', [
        'box-sizing:border-box',
        'max-width:44em',
        'margin:0 auto',
        `padding:1.5em ${SIDE_PADDING}em 3em`,
        'overflow-wrap:anywhere',
      ]),
      'h1,h2,h3,p{margin:0}',
      // No heading wraps leaving a character alone, no paragraph ends in one (where the browser can).
      'h1,h2,h3,th{text-wrap:balance}',
      'p{text-wrap:pretty}',
    );
    const paragraphRule = (name: StyleName, s: ParagraphStyle) =>
      rule(selectors[name], [
        `font-family:${fontStack(ir, s.role)}`,
        `font-weight:${WEIGHT[s.role]}`,
        `font-size:${n(s.size / body.size)}em`,
        `line-height:${n(s.linePitch / s.size)}`,
        `text-align:${s.align}`,
        `text-indent:${em(s.firstLineIndent, s.size)}`,
        s.rightIndent ? `padding-right:${em(s.rightIndent, s.size)}` : false,
        `margin:${em(s.spaceBefore, s.size)} 0 ${em(s.spaceAfter, s.size)}`,
      ]);
    for (const name of ['body', 'title', 'heading1', 'heading2', 'signature'] as StyleName[])
      css.push(paragraphRule(name, ir.styles[name]));

    // Tables: the IR's column proportions; never narrower than its minimum (the wrapper scrolls).
    const ts = ir.tableStyle;
    css.push(
      // A table wider than the screen scrolls in its wrapper; shadows at the edges show there is more.
      rule('.table-wrap', [
        'position:relative',
        'overflow-x:auto',
        'max-width:100%',
        'margin:.5em 0 1em',
        'background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/2em 100% no-repeat local,' +
          'linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/2em 100% no-repeat local,' +
          'radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) left/.75em 100% no-repeat scroll,' +
          'radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) right/.75em 100% no-repeat scroll',
      ]),
      // Each rule is drawn once, by the cell above or left of it (collapsed borders are drawn
      // by both neighbours, which shows as a doubled line where they round differently); the top
      // rule by the first row, so that a header repeated on a new printed page has it too.
      rule('table', [
        'border-collapse:separate',
        'border-spacing:0',
        `border-left:${n(ts.border)}pt solid #000`,
        'table-layout:fixed',
        'width:100%',
        `font-family:${fontStack(ir, ts.role)}`,
        `font-size:${SCREEN_TABLE}em`,
        `line-height:${n(ts.linePitch / ts.size)}`,
        'text-indent:0',
      ]),
      rule('th,td', [
        `border-right:${n(ts.border)}pt solid #000`,
        `border-bottom:${n(ts.border)}pt solid #000`,
        `padding:${em(ts.padding, ts.size)} max(${em(ts.padding, ts.size)},.3em)`,
        'font-weight:400',
        'text-align:center',
        'vertical-align:middle',
      ]),
      `colgroup+*>tr:first-child>*{border-top:${n(ts.border)}pt solid #000}`,
      '.l{text-align:left}',
      '.t{vertical-align:top}',
      'td{white-space:nowrap;font-variant-numeric:tabular-nums}',
    );
    for (const t of tables) {
      const total = t.columns.reduce((a, b) => a + b, 0);
      // (The screen pads cells a little more than the layout measured: .3em a side at least.)
      const extra = t.columns.length * 2 * Math.max(0, 0.3 * t.style.size - t.style.padding);
      css.push(rule(`#${tableId(t)}`, [`min-width:${n((t.minWidth + extra) / t.style.size)}em`]));
      const labels = labelColumns(t);
      if (labels > 0) {
        // On a phone, the row labels stay in view (narrow, sticky) while the numbers scroll.
        const widths = Array.from({ length: labels }, (_, i) => (i === labels - 1 ? PHONE_LAST_LABEL : PHONE_LABEL));
        const id = `#${tableId(t)}`;
        phone.push(
          rule(id, [`min-width:${n(widths.reduce((a, b) => a + b, 0) + (t.columns.length - labels) * PHONE_NUMBER)}em`]),
          ...t.columns.map((_, i) => rule(`${id} col:nth-child(${i + 1})`, [i < labels ? `width:${n(widths[i]!)}em` : 'width:auto'])),
          ...widths.map((_, i) =>
            rule(`${id} .sk${i}`, [
              'position:sticky',
              `left:${n(widths.slice(0, i).reduce((a, b) => a + b, 0))}em`,
              'z-index:1',
              'background-color:#fff',
            ]),
          ),
        );
      }
      t.columns.forEach((w, i) => css.push(rule(`#${tableId(t)} col:nth-child(${i + 1})`, [`width:${n((w / total) * 100)}%`])));
      print.push(rule(`#${tableId(t)}`, [`font-size:${n(t.style.size)}pt`, `line-height:${n(t.style.linePitch / t.style.size)}`]));
    }
    if (ir.draft) {
      const d = ir.draft;
      css.push(
        rule('.draft', [
          'position:fixed',
          'inset:0',
          'display:flex',
          'align-items:center',
          'justify-content:center',
          'overflow:hidden',
          'pointer-events:none',
          'z-index:1',
        ]),
        rule('.draft span', [
          `font-family:${fontStack(ir, d.role)}`,
          `font-size:min(${n(d.size)}pt,40vw)`,
          `color:#${/^[0-9A-Fa-f]{6}$/.test(d.color) ? d.color : '000000'}`,
          `opacity:${n(d.opacity)}`,
          `transform:rotate(${n(-d.angle)}deg)`,
          'white-space:nowrap',
        ]),
      );
    }
    // A block's own values win over its style's (`main .x1` outranks `p.signature` by coming later).
    for (const o of extra) {
      if (o.screen) css.push(`main .${o.name}{${o.screen}}`);
      if (o.print) print.push(`main .${o.name}{${o.print}}`);
    }

    // Print: the IR's page, sizes in pt, letter spacing to its grid, its keeps and page numbers.
    const { page, footer: f } = ir;
    const m = page.margins;
    const a4 = Math.abs(page.width * MM_PER_PT - 210) < 0.5 && Math.abs(page.height * MM_PER_PT - 297) < 0.5;
    const numberBox = (odd: boolean) =>
      rule(`@${odd ? 'bottom-right' : 'bottom-left'}`, [
        `content:${cssString(f.prefix)} counter(page) ${cssString(f.suffix)}`,
        `font-family:${fontStack(ir, f.role)}`,
        `font-size:${n(f.size)}pt`,
        'line-height:1',
        'vertical-align:top',
        `padding-top:${n(f.gap)}pt`,
        odd ? `padding-right:${n(f.indent)}pt` : `padding-left:${n(f.indent)}pt`,
        `text-align:${odd ? f.odd : f.even}`,
      ]);
    const printStyles = (['body', 'title', 'heading1', 'heading2', 'signature'] as StyleName[]).map((name) => {
      const s = ir.styles[name];
      return rule(selectors[name], [`font-size:${n(s.size)}pt`, s.letterSpacing ? `letter-spacing:${n(s.letterSpacing)}pt` : false]);
    });
    return [
      ...css,
      ...(phone.length ? [`@media screen and (max-width:${PHONE}em){`, ...phone, '}'] : []),
      '@media print{',
      rule('@page', [
        `size:${a4 ? 'A4' : `${mm(page.width)} ${mm(page.height)}`}`,
        `margin:${mm(m.top)} ${mm(m.right)} ${mm(m.bottom)} ${mm(m.left)}`,
      ]),
      `@page :right{${numberBox(true)}}`,
      `@page :left{${numberBox(false)}}`,
      rule('body', [`font-size:${n(body.size)}pt`, 'background:none']),
      rule('main', ['max-width:none', 'padding:0', 'overflow-wrap:normal']),
      ...printStyles,
      // Keep-with-next and keep-together, as the IR says; rows never split; header rows repeat.
      ...(['title', 'heading1', 'heading2'] as StyleName[])
        .filter((x) => ir.styles[x].keepWithNext)
        .map((x) => rule(selectors[x], ['break-after:avoid', 'break-inside:avoid'])),
      '.keep{break-inside:avoid}',
      '.table-wrap{overflow:visible;margin:0;background:none}',
      `th,td{padding:${em(ts.padding, ts.size)}}`,
      'table{min-width:0!important;width:100%}',
      'thead{display:table-header-group}',
      'tr{break-inside:avoid}',
      ...print,
      '}',
    ].join('\n');
  }
}
