/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The portal page (`render --html`): the official grids rebuilt from the HTML with a real parser
 * and compared cell for cell with the form, every number's header cells equal to its official
 * labels, the document in IR order, nothing fetched, hostile text shown as text; then the page in
 * a real Chromium at phone and desktop widths, under its CSP, and printed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { bindingsOf, resolveGrid } from '../src/form/index.js';
import { CONTENT_SECURITY_POLICY, writeHtml } from '../src/html/index.js';
import { renderHtml as libraryRenderHtml } from '../src/index.js';
import type { Block, DocumentIR, ParagraphBlock, TableIR } from '../src/layout/ir.js';
import { readReportFile } from '../src/app/files.js';
import { getPath } from '../src/model/paths.js';
import { resolve } from '../src/model/resolve.js';
import { prepare, renderHtml } from '../src/app/render.js';
import { attr, elements, htmlTable, parseHtml, textOf, type HtmlTable } from './helpers/html.js';
import { blank, parsed, ROOT, runCli } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-html-'));
const samples = readdirSync(`${ROOT}samples`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();
const load = (s: string) => readReportFile(`${ROOT}samples/${s}.json`);

const flat = (blocks: Block[]): Block[] => blocks.flatMap((b) => (b.type === 'group' ? flat(b.blocks) : [b]));
const tablesOf = (ir: DocumentIR) => flat(ir.blocks).filter((b): b is TableIR => b.type === 'table');

interface Page {
  html: string;
  ir: DocumentIR;
  doc: ReturnType<typeof parseHtml>;
  tables: HtmlTable[];
}
const pages: Record<string, Page> = {};
const page = (html: string, ir: DocumentIR): Page => {
  const doc = parseHtml(html);
  return { html, ir, doc, tables: elements(doc, 'table').map(htmlTable) };
};

beforeAll(() => {
  for (const s of samples) {
    const { ir } = prepare(load(s));
    pages[s] = page(writeHtml(ir), ir);
  }
});

const TABLE_KEYS = ['table2', 'table3', 'table4'];
const bindings = bindingsOf(gov2021.tables);

describe('HTML: the official grids as real tables', () => {
  it('finds every sample', () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(bindings.size).toBe(200);
  });

  it.each(samples)('%s: each table equals the official grid cell for cell, th for labels, td for values', (s) => {
    const { tables, ir } = pages[s]!;
    expect(tables.map((t) => t.id)).toEqual(TABLE_KEYS);
    tables.forEach((t, i) => {
      const grid = resolveGrid(gov2021.tables[TABLE_KEYS[i]!]!);
      expect([t.rows, t.cols]).toEqual([grid.rows, grid.cols]);
      expect(t.cells.map(({ r, c, rs, cs }) => ({ r, c, rs, cs }))).toEqual(grid.cells.map(({ r, c, rs, cs }) => ({ r, c, rs, cs })));
      expect(t.cells.map((x) => x.tag)).toEqual(grid.cells.map((g) => (g.bind ? 'td' : 'th')));
      // Labels are the official text; values are the layout's, which the next test ties to the model.
      grid.cells.forEach((g, k) => {
        if (g.text) expect(t.cells[k]!.text).toBe(g.text);
      });
      expect(t.cells.map((x) => x.text)).toEqual(tablesOf(ir)[i]!.cells.map((x) => x.text));
      // The header rows that repeat on a printed page are the thead.
      expect(t.headRows).toBe(grid.spec.headerRows);
    });
  });

  it.each(samples)('%s: all 200 numbers by model path, as printed (the fee as typed)', (s) => {
    const report = load(s);
    const model = resolve(report, gov2021.defaultTitle);
    const { tables } = pages[s]!;
    let checked = 0;
    for (const [path, bound] of bindings) {
      const t = tables[TABLE_KEYS.indexOf(bound.table)]!;
      const cell = t.cells.find((x) => x.r === bound.cell.r && x.c === bound.cell.c)!;
      expect(cell.tag, path).toBe('td');
      expect(cell.text, path).toBe(String(getPath(model, path)));
      checked++;
    }
    expect(checked).toBe(200);
    const fee = String(report.proactive.fees);
    expect(tables[0]!.cells.find((x) => x.r === 13 && x.c === 1)!.text).toBe(fee);
  });

  it.each(samples)("%s: each number's header cells are its official row and column labels", (s) => {
    const { tables } = pages[s]!;
    for (const [path, bound] of bindings) {
      const t = tables[TABLE_KEYS.indexOf(bound.table)]!;
      const byId = new Map(t.cells.filter((x) => x.id).map((x) => [x.id!, x]));
      const cell = t.cells.find((x) => x.r === bound.cell.r && x.c === bound.cell.c)!;
      const labels = cell.headers.map((id) => {
        const h = byId.get(id);
        expect(h?.tag, `${path}: headers="${id}"`).toBe('th');
        return h!.text;
      });
      expect(labels, path).toEqual([...bound.row, ...bound.column]);
    }
  });

  it.each(samples)('%s: every header cell has a unique id and a scope that matches what it heads', (s) => {
    const { doc, tables } = pages[s]!;
    const ids = elements(doc)
      .map((e) => attr(e, 'id'))
      .filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    tables.forEach((t, i) => {
      const grid = resolveGrid(gov2021.tables[TABLE_KEYS[i]!]!);
      t.cells.forEach((x, k) => {
        const g = grid.cells[k]!;
        if (x.tag === 'td') return expect(x.scope).toBeUndefined();
        expect(x.id).toMatch(/^table\d-r\d+c\d+$/);
        const expected = g.header ? (g.cs > 1 ? 'colgroup' : 'col') : g.rs > 1 ? 'rowgroup' : 'row';
        expect(x.scope, `${t.id} R${x.r}C${x.c}`).toBe(expected);
      });
    });
    // The nested Table 3 headings: a leaf row's number names its three row labels and its two or three column labels.
    const t3 = tables[1]!;
    const n = t3.cells.find((x) => x.r === 8 && x.c === 5)!;
    expect(n.headers.map((id) => t3.cells.find((x) => x.id === id)!.text)).toEqual([
      '三、本年度办理结果',
      '（三）不予公开',
      '2.其他法律行政法规禁止公开',
      '申请人情况',
      '法人或其他组织',
      '科研机构',
    ]);
  });

  it.each(samples)('%s: each table is named by its part heading right before it, not by a caption repeating it', (s) => {
    const { doc, tables } = pages[s]!;
    const parts = gov2021.parts.filter((p) => p.table);
    expect(elements(doc, 'caption')).toEqual([]);
    const main = elements(doc, 'main')[0]!;
    const seq = elements(main).filter((e) => ['h2', 'table'].includes(e.tagName));
    tables.forEach((t, i) => {
      const at = seq.indexOf(t.element);
      const heading = seq[at - 1]!;
      expect(textOf(heading)).toBe(parts[i]!.heading);
      expect(attr(t.element, 'aria-labelledby')).toBe(attr(heading, 'id'));
      // The scrolling wrapper is a named, focusable region.
      const wrap = elements(main, 'div').find((d) => elements(d, 'table').includes(t.element) && attr(d, 'class') === 'table-wrap')!;
      expect(attr(wrap, 'role')).toBe('region');
      expect(attr(wrap, 'tabindex')).toBe('0');
      expect(attr(wrap, 'aria-labelledby')).toBe(attr(heading, 'id'));
    });
  });

  it.each(samples)('%s: carries the portal meta tags ArticleTitle, PubDate, ContentSource and ColumnName', (s) => {
    const { doc } = pages[s]!;
    const report = resolve(load(s), gov2021.defaultTitle);
    const meta = (name: string) => attr(elements(doc, 'meta').find((m) => attr(m, 'name') === name)!, 'content');
    expect(meta('ArticleTitle')).toBe(report.title.trim());
    expect(meta('ContentSource')).toBe(report.agency.trim());
    expect(meta('ColumnName')).toBe('政府信息公开年报');
    if (report.signature) expect(meta('PubDate')).toBe(report.signature.date);
    else expect(elements(doc, 'meta').some((m) => attr(m, 'name') === 'PubDate')).toBe(false);
  });
});

describe('HTML: the document', () => {
  it.each(samples)('%s: title, parts, sections, paragraphs, tables and signature in IR order', (s) => {
    const { doc, ir } = pages[s]!;
    const tag = { title: 'h1', heading1: 'h2', heading2: 'h3', body: 'p', signature: 'p' } as const;
    const expected = flat(ir.blocks).map((b) =>
      b.type === 'table'
        ? `table:${b.id}`
        : b.type === 'paragraph'
          ? `${tag[b.style]}:${b.hardBreaks ? b.lines.map((l) => l.text).join('\n') : b.text}`
          : '',
    );
    const main = elements(doc, 'main')[0]!;
    const inTable = new Set(elements(main, 'table').flatMap((t) => elements(t)));
    const actual = elements(main)
      .filter((e) => ['h1', 'h2', 'h3', 'p', 'table'].includes(e.tagName) && !inTable.has(e))
      .map((e) => (e.tagName === 'table' ? `table:${attr(e, 'id')}` : `${e.tagName}:${textOf(e)}`));
    expect(actual).toEqual(expected);
    expect(elements(main, 'h2').map(textOf)).toEqual(gov2021.parts.map((p) => p.heading));
    expect(elements(main, 'h1')).toHaveLength(1);
    const signature = elements(main, 'p').filter((p) => attr(p, 'class')?.split(' ').includes('signature'));
    expect(signature.map(textOf)).toEqual(
      flat(ir.blocks)
        .filter((b) => b.type === 'paragraph' && b.style === 'signature')
        .map((b) => (b as { text: string }).text),
    );
  });

  it('is UTF-8 HTML5 in zh-CN with a viewport, a script-forbidding CSP, no referrer and the metadata', () => {
    const { doc, html, ir } = pages['huaian-2024']!;
    expect(html.startsWith('<!DOCTYPE html>\n')).toBe(true);
    expect(attr(elements(doc, 'html')[0]!, 'lang')).toBe('zh-CN');
    const metas = elements(doc, 'meta');
    const meta = (key: string, value: string) => metas.find((m) => attr(m, key) === value);
    expect(metas[0] && attr(metas[0], 'charset')).toBe('utf-8');
    expect(attr(meta('name', 'viewport')!, 'content')).toBe('width=device-width, initial-scale=1');
    const csp = attr(meta('http-equiv', 'Content-Security-Policy')!, 'content')!;
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(csp).toContain("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(csp).not.toMatch(/script-src/);
    expect(attr(meta('name', 'referrer')!, 'content')).toBe('no-referrer');
    expect(textOf(elements(doc, 'title')[0]!)).toBe('淮安市人民政府2024年度政府信息公开工作年度报告');
    expect(attr(meta('name', 'author')!, 'content')).toBe('淮安市人民政府');
    expect(attr(meta('name', 'description')!, 'content')).toBe(ir.meta.subject);
    expect(attr(meta('name', 'keywords')!, 'content')).toBe('政府信息公开,年度报告,2024年,淮安市人民政府');
    // The CSP comes before the one style sheet.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it.each(samples)('%s: fetches nothing — one style element, no script, no external URL anywhere', (s) => {
    const { doc } = pages[s]!;
    const all = elements(doc);
    expect(elements(doc, 'style')).toHaveLength(1);
    for (const t of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'base', 'source', 'video', 'audio', 'form', 'svg'])
      expect(elements(doc, t), t).toHaveLength(0);
    for (const e of all)
      for (const a of e.attrs) {
        expect(a.name.startsWith('on'), `${e.tagName} ${a.name}`).toBe(false);
        if (['src', 'href', 'srcset', 'action', 'formaction', 'poster', 'data', 'background', 'xlink:href', 'style'].includes(a.name))
          expect(a.value, `${e.tagName} ${a.name}`).not.toMatch(/https?:|\/\/|url\(/i);
      }
    const css = textOf(elements(doc, 'style')[0]!);
    expect(css).not.toMatch(/@import|https?:|\/\/|@font-face/i);
    for (const [, u] of css.matchAll(/url\(\s*['"]?([^'")]*)/gi)) expect(u).toMatch(/^data:/);
  });

  it('has the print style sheet: A4 with the GB/T 9704 margins, 16 pt body, 10.5 pt tables, keeps, rows that do not split', () => {
    const css = textOf(elements(pages['huaian-2024']!.doc, 'style')[0]!);
    const print = css.slice(css.indexOf('@media print{'));
    expect(print).toContain('@page{size:A4;margin:37mm 26mm 35mm 28mm}');
    expect(print).toMatch(/\bbody\{font-size:16pt/);
    expect(print).toMatch(/#table3\{font-size:10\.5pt/);
    expect(print).toContain('tr{break-inside:avoid}');
    expect(print).toContain('thead{display:table-header-group}');
    expect(print).toMatch(/h2\{break-after:avoid/);
    expect(print).toContain('.keep{break-inside:avoid}');
    expect(print).toMatch(/@bottom-right\{content:"— " counter\(page\) " —"/);
    // The fonts by role, official first, then the system faces of the brief.
    expect(css).toMatch(/\bbody\{[^}]*font-family:"仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "宋体", "SimSun", "Noto Serif CJK SC"/);
    expect(css).toMatch(/\bh2\{font-family:"黑体", "SimHei"[^}]*"Noto Sans CJK SC"[^}]*sans-serif/);
    expect(css).toMatch(/\bh3\{font-family:"楷体_GB2312", "楷体", "KaiTi", "STKaiti", "LXGW WenKai"/);
    expect(css).toMatch(/\bh1\{font-family:"方正小标宋简体"[^}]*"小标宋", "Noto Serif CJK SC"[^}]*font-weight:700/);
  });

  it('gives the same bytes for the same report, and ids from table, row and column only', async () => {
    const a = await renderHtml(load('qingjiang-bureau-2024'));
    const b = await libraryRenderHtml(load('qingjiang-bureau-2024'));
    expect(a).toBe(b);
    expect(a).toBe(pages['qingjiang-bureau-2024']!.html);
    expect(new Set([...a.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!.replace(/\d+/g, '#')))).toEqual(
      new Set(['table#-heading', 'table#', 'table#-r#c#']),
    );
  });

  it('prints the fee exactly as typed and marks a draft', async () => {
    const b = blank();
    b.proactive.fees = '12.30';
    const html = await renderHtml(parsed(b));
    const t2 = htmlTable(elements(parseHtml(html), 'table')[0]!);
    expect(t2.cells.find((x) => x.r === 13 && x.c === 0)!.text).toBe('行政事业性收费');
    expect(t2.cells.find((x) => x.r === 13 && x.c === 1)!.text).toBe('12.30');
    expect(html).not.toContain('class="draft"');

    const draft = await renderHtml(readReportFile(`${ROOT}samples/invalid/huaian-2024-r1.json`), { draft: true });
    const mark = elements(parseHtml(draft), 'div').find((d) => attr(d, 'class') === 'draft')!;
    expect(textOf(mark)).toBe('草稿');
    await expect(renderHtml(readReportFile(`${ROOT}samples/invalid/huaian-2024-r1.json`))).rejects.toMatchObject({ kind: 'rule' });
  });
});

/** A report whose every kind of text tries to be markup. */
const HOSTILE = {
  agency: 'A&B县 "人民" \'政府\' <b>局</b>',
  paragraph: '<script>alert(1)</script>',
  style: '</style><style>body{display:none}</style>',
  quotes: `引号"双"与'单' & 和号 &amp; &lt;实体&gt; <!-- 注释 --> ]]>`,
  heading: '<h1>小标题</h1>',
  other: '<img src=x onerror=alert(1)>',
  signature: '</p><p>署名</p>',
};

describe('HTML: text from the report is text', () => {
  let doc: ReturnType<typeof parseHtml>;
  let html: string;
  beforeAll(async () => {
    const b = blank(HOSTILE.agency);
    b.preface = [HOSTILE.paragraph, HOSTILE.style, HOSTILE.quotes];
    b.overview.sections = [{ heading: HOSTILE.heading, paragraphs: [HOSTILE.other] }];
    b.signature = { name: HOSTILE.signature, date: '2025-01-20' };
    html = await renderHtml(parsed(b));
    doc = parseHtml(html);
  });

  it('round-trips every hostile string exactly through an HTML parser', () => {
    const texts = elements(doc, 'p').map(textOf);
    for (const t of [HOSTILE.paragraph, HOSTILE.style, HOSTILE.quotes, HOSTILE.other, HOSTILE.signature]) expect(texts).toContain(t);
    expect(elements(doc, 'h3').map(textOf)).toContain(`（一）${HOSTILE.heading}`);
    expect(textOf(elements(doc, 'title')[0]!)).toBe(`${HOSTILE.agency}2024年度政府信息公开工作年度报告`);
    expect(textOf(elements(doc, 'h1')[0]!).replace(/\n/g, '')).toBe(`${HOSTILE.agency}2024年度政府信息公开工作年度报告`);
    const author = elements(doc, 'meta').find((m) => attr(m, 'name') === 'author')!;
    expect(attr(author, 'content')).toBe(HOSTILE.agency);
    expect(attr(elements(doc, 'meta').find((m) => attr(m, 'name') === 'keywords')!, 'content')).toContain(HOSTILE.agency);
  });

  it('adds no element, attribute or style of its own', () => {
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(elements(doc, 'img')).toHaveLength(0);
    expect(elements(doc, 'b')).toHaveLength(0);
    expect(elements(doc, 'h1')).toHaveLength(1);
    expect(elements(doc, 'style')).toHaveLength(1);
    expect(textOf(elements(doc, 'style')[0]!)).not.toContain('display:none');
    expect(
      elements(doc)
        .flatMap((e) => e.attrs.map((a) => a.name))
        .filter((n) => n.startsWith('on')),
    ).toEqual([]);
    expect(html).not.toMatch(/<script|<img|<\/style><style>|<!-- 注释/i);
  });
});

describe('xxgk render --html and batch --html', () => {
  const out = (name: string) => {
    const d = join(dir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  it('render --html writes only the page', () => {
    const d = out('cli-html');
    const r = runCli(['render', 'samples/yangshan-2024.json', '--html', '-o', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(d)).toEqual(['yangshan-2024.html']);
    expect(r.stdout).toContain('yangshan-2024.html');
    expect(readFileSync(join(d, 'yangshan-2024.html'), 'utf8')).toBe(pages['yangshan-2024']!.html);
  });

  it('render --html --pdf writes both, and nothing else', () => {
    const d = out('cli-html-pdf');
    const r = runCli(['render', 'samples/yangshan-2024.json', '--html', '--pdf', '-o', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['yangshan-2024.html', 'yangshan-2024.pdf']);
  });

  it('batch --html writes a page per report and lists it in batch-report.json', () => {
    const d = out('cli-batch');
    const r = runCli(['batch', 'samples/yangshan-2024.json', 'samples/qingjiang-bureau-2024.json', '--html', '-o', d, '--jobs', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['batch-report.json', 'qingjiang-bureau-2024.html', 'yangshan-2024.html']);
    const report = JSON.parse(readFileSync(join(d, 'batch-report.json'), 'utf8'));
    expect(report.formats).toEqual(['html']);
    for (const e of report.entries) {
      expect(e.status).toBe('written');
      expect(e.outputs).toHaveLength(1);
      const [o] = e.outputs;
      expect(o.file).toMatch(/\.html$/);
      const bytes = readFileSync(o.file);
      expect(o.bytes).toBe(bytes.length);
      expect(o.sha256).toBe(execFileSync('sha256sum', [o.file], { encoding: 'utf8' }).split(' ')[0]);
    }
  });

  it('the help names --html', () => {
    const r = runCli(['render', '--help']);
    expect(r.stdout).toContain('--html');
    expect(r.stdout).toContain('生成网页');
    expect(runCli(['batch', '--help']).stdout).toContain('--html');
  });
});

// ── In a real browser ────────────────────────────────────────────────────────────────────────
const CHROMIUM = process.env.XXGK_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const requireTools = process.env.XXGK_REQUIRE_TOOLS === '1';
if (!haveChromium && !requireTools)
  console.warn(`html.test: browser tests skipped — ${CHROMIUM} not found (Debian: apt-get install chromium)`);

describe.skipIf(!haveChromium && !requireTools)('HTML in Chromium', () => {
  let browser: Browser;
  /** Screenshots and printed PDFs go here (XXGK_SHOTS to keep them). */
  const shots = process.env.XXGK_SHOTS ?? join(dir, 'shots');
  mkdirSync(shots, { recursive: true });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`${CHROMIUM} not found: apt-get install chromium (XXGK_REQUIRE_TOOLS=1 makes this an error)`);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const fileOf = (name: string, html: string) => {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    return file;
  };

  const viewed = ['huaian-2024', 'jiangsu-long-2024'];
  it.each(viewed.flatMap((s) => [375, 1280].map((w) => [s, w] as const)))(
    '%s at %i px: no page overflow, every table visible',
    async (s, width) => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      try {
        const file = fileOf(s, pages[s]!.html);
        await page.goto(`file://${file}`);
        const m = await page.evaluate(() => {
          const root = document.scrollingElement!;
          return {
            scrollWidth: root.scrollWidth,
            innerWidth,
            tables: [...document.querySelectorAll('table')].map((t) => {
              const box = t.getBoundingClientRect();
              const wrap = t.parentElement!;
              return {
                id: t.id,
                visible: t.checkVisibility() && box.width > 0 && box.height > 0,
                inside: wrap.getBoundingClientRect().right <= innerWidth,
                scrolls: wrap.scrollWidth > wrap.clientWidth,
                cells: t.querySelectorAll('td').length,
              };
            }),
            h1: getComputedStyle(document.querySelector('h1')!).fontFamily,
          };
        });
        expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
        expect(m.tables.map((t) => t.id)).toEqual(TABLE_KEYS);
        for (const t of m.tables) {
          expect(t.visible, t.id).toBe(true);
          expect(t.inside, t.id).toBe(true);
        }
        expect(m.tables.map((t) => t.cells)).toEqual([10, 175, 15]);
        // A desktop shows every table whole; a phone scrolls the wide ones in their wrapper.
        if (width >= 1280) expect(m.tables.map((t) => t.scrolls)).toEqual([false, false, false]);
        else expect(m.tables[0]!.scrolls).toBe(false);
        expect(requests).toEqual([`file://${file}`]);
        await page.screenshot({ path: join(shots, `${s}-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    },
  );

  it('a title set smaller on a phone keeps the layout’s lines', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    try {
      await page.goto(`file://${fileOf('title', pages['huaian-2024']!.html)}`);
      const lines = await page.evaluate(() => {
        const h1 = document.querySelector('h1')!;
        return Math.round(h1.getBoundingClientRect().height / parseFloat(getComputedStyle(h1).lineHeight));
      });
      const title = pages['huaian-2024']!.ir.blocks[0] as ParagraphBlock;
      expect(title.style).toBe('title');
      expect(lines).toBe(title.lines.length);
    } finally {
      await page.close();
    }
  });

  it('the CSP blocks a script injected into the page', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
    });
    try {
      const injected = pages['huaian-2024']!.html.replace(
        '</main>',
        '<script>window.__xss = 1; document.title = "pwned"</script><img src="x" onerror="window.__xss2 = 1"><div onclick="window.__xss3 = 1" id="clickme">x</div></main>',
      );
      await page.goto(`file://${fileOf('injected', injected)}`);
      await page.click('#clickme');
      const state = await page.evaluate(() => ({
        xss: (window as unknown as Record<string, unknown>).__xss,
        xss2: (window as unknown as Record<string, unknown>).__xss2,
        xss3: (window as unknown as Record<string, unknown>).__xss3,
        title: document.title,
      }));
      expect(state).toEqual({ xss: undefined, xss2: undefined, xss3: undefined, title: '淮安市人民政府2024年度政府信息公开工作年度报告' });
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.some((v) => /script/i.test(v))).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('prints to A4 PDF pages, and the draft mark shows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      for (const [name, html] of [
        ['huaian-2024', pages['huaian-2024']!.html],
        ['draft', await renderHtml(readReportFile(`${ROOT}samples/invalid/huaian-2024-r1.json`), { draft: true })],
      ] as const) {
        await page.goto(`file://${fileOf(`print-${name}`, html)}`);
        const pdf = await page.pdf({ format: 'A4' });
        const file = join(shots, `${name}.pdf`);
        writeFileSync(file, pdf);
        const pages = [...pdf.toString('latin1').matchAll(/\/Type\s*\/Page\b(?!s)/g)].length;
        expect(pages, name).toBeGreaterThan(0);
        if (name === 'draft') expect(await page.evaluate(() => getComputedStyle(document.querySelector('.draft')!).position)).toBe('fixed');
      }
    } finally {
      await page.close();
    }
  });

  // ── issue 23: as the official template sets the tables ──
  it.each([390, 1280])(
    "at %i px: table 2's 第二十条 rows are left-aligned and shaded C6D9F1; table 3's header rule is twice its others",
    async (width) => {
      const page = await browser.newPage({ viewport: { width, height: width < 500 ? 844 : 900 } });
      try {
        await page.goto(`file://${fileOf('template-tables', pages['huaian-2024']!.html)}`);
        const m = await page.evaluate(() => {
          const t2 = [...document.querySelectorAll('#table2 th')].filter((c) => c.textContent!.startsWith('第二十条'));
          const t3 = document.querySelector('#table3')!;
          const bottom = (c: Element) => parseFloat(getComputedStyle(c).borderBottomWidth);
          const headerEnd = [...t3.querySelectorAll('thead th')].filter((c) =>
            ['自然人', '商业企业', '其他', '总计'].includes(c.textContent!),
          );
          return {
            t2: t2.map((c) => ({ align: getComputedStyle(c).textAlign, bg: getComputedStyle(c).backgroundColor })),
            others: [...document.querySelectorAll('#table2 th,#table2 td')]
              .filter((c) => !c.textContent!.startsWith('第二十条'))
              .map((c) => getComputedStyle(c).backgroundColor),
            header: headerEnd.map(bottom),
            body: [...t3.querySelectorAll('tbody td')].slice(0, 7).map(bottom),
          };
        });
        expect(m.t2).toEqual(Array.from({ length: 4 }, () => ({ align: 'left', bg: 'rgb(198, 217, 241)' })));
        expect(new Set(m.others)).toEqual(new Set(['rgba(0, 0, 0, 0)']));
        expect(m.header).toHaveLength(4);
        for (const w of m.header) expect(w).toBeCloseTo(2 * m.body[0]!, 1);
      } finally {
        await page.close();
      }
    },
  );

  it("each table's accessible name is its part heading, read once (no hidden caption)", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`file://${fileOf('names', pages['huaian-2024']!.html)}`);
      for (const part of gov2021.parts.filter((p) => p.table)) {
        expect(await page.getByRole('table', { name: part.heading, exact: true }).count()).toBe(1);
        expect(await page.getByRole('region', { name: part.heading, exact: true }).count()).toBe(1);
      }
      expect(await page.locator('caption').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it.each(['huaian-2024', 'jiangsu-long-2024'].flatMap((s) => [[s, 390, 844] as const, [s, 1280, 900] as const]))(
    "%s at %i × %i: table 3's labels stay in view beside its numbers, table 4's headers hold two characters a line, no heading leaves a character alone",
    async (s, width, height) => {
      const page = await browser.newPage({ viewport: { width, height } });
      try {
        await page.goto(`file://${fileOf(`phone-${s}`, pages[s]!.html)}`);
        const m = await page.evaluate(() => {
          const lines = (el: Element) => {
            const r = document.createRange();
            r.selectNodeContents(el);
            return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
          };
          /** The characters on an element's last line. */
          const lastLine = (el: Element) => {
            const text = el.firstChild as Text;
            const tops = [...text.data].map((_, i) => {
              const r = document.createRange();
              r.setStart(text, i);
              r.setEnd(text, i + 1);
              return Math.round(r.getBoundingClientRect().top);
            });
            return tops.filter((t) => t === tops.at(-1)).length;
          };
          const t3 = document.querySelector('#table3')!;
          const wrap = t3.parentElement!;
          const firstNumber = t3.querySelector('tbody td')!;
          const label = [...t3.querySelectorAll('tbody th')].find((c) => c.textContent === '1.属于国家秘密')!;
          const visible = (el: Element) => {
            const a = el.getBoundingClientRect();
            const b = wrap.getBoundingClientRect();
            return a.left >= b.left - 1 && a.right <= b.right + 1;
          };
          const before = { number: visible(firstNumber), label: visible(label) };
          wrap.scrollLeft = wrap.scrollWidth;
          const after = { label: visible(label), scrolled: wrap.scrollLeft > 0 };
          return {
            before,
            after,
            t4: [...document.querySelectorAll('#table4 thead th')]
              .filter((c) => c.textContent!.length === 4)
              .map((c) => ({ text: c.textContent!, lines: lines(c) })),
            headings: [...document.querySelectorAll('h2,h3')]
              .filter((h) => lines(h) > 1)
              .map((h) => ({ text: h.textContent!, last: lastLine(h) })),
          };
        });
        // The first number column is in view beside the labels; scrolled to the last column, the labels still are.
        expect(m.before).toEqual({ number: true, label: true });
        if (m.after.scrolled) expect(m.after.label).toBe(true);
        if (width < 500) expect(m.after.scrolled).toBe(true);
        expect(m.t4.length).toBeGreaterThanOrEqual(10);
        for (const h of m.t4) expect(h.lines, h.text).toBeLessThanOrEqual(2);
        for (const h of m.headings) expect(h.last, h.text).toBeGreaterThan(1);
        if (width < 500) expect(m.headings.length).toBeGreaterThan(0);
        await page.screenshot({ path: join(shots, `${s}-${width}-tables.png`), fullPage: true });
      } finally {
        await page.close();
      }
    },
  );
});
