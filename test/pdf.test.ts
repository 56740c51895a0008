import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { buildDocument, MM } from '../src/layout/build.js';
import type { DocumentIR, TableIR } from '../src/layout/ir.js';
import { readReportFile } from '../src/app/files.js';
import { formFor } from '../layouts/index.js';
import { getPath } from '../src/model/paths.js';
import type { Report } from '../src/model/schema.js';
import { resolve } from '../src/model/resolve.js';
import { writePdf } from '../src/pdf/index.js';
import { prepare, renderPdf } from '../src/app/render.js';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { decodePath, type Matrix } from '../src/import/pdfjs-adapter.js';
import { fonts, misplacedValues, info, pageTexts, streamText, words, type Word } from './helpers/pdf.js';
import { blank, parsed, readJson, ROOT, runCli } from './helpers/reports.js';
import { distinctNumbers, templateCells, templateHeadings, templateLabels, wordAt } from './helpers/template.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-pdf-'));
const _tablesOf = (ir: DocumentIR): TableIR[] =>
  ir.blocks.flatMap((b) => (b.type === 'group' ? b.blocks : [b])).filter((b): b is TableIR => b.type === 'table');

/** The official labels of every table, from the official template (test/fixtures). */
const LABELS = templateLabels();

interface Rendered {
  file: string;
  report: Report;
  ir: DocumentIR;
  words: Word[];
}

async function render(name: string, report: Report): Promise<Rendered> {
  const { ir, fonts: set } = prepare(report);
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await writePdf(ir, set));
  return { file, report, ir, words: await words(file) };
}

const samples = ['huaian-2024', 'yangshan-2024', 'qingjiang-bureau-2024', 'jiangsu-long-2024', 'huaian-2023'];
const rendered: Record<string, Rendered> = {};
beforeAll(async () => {
  for (const s of samples) rendered[s] = await render(s, readReportFile(`${ROOT}samples/${s}.json`));
  // The 200 numbers all different (the 勾稽 rules still hold).
  rendered.distinct = await render('distinct', parsed(distinctNumbers(readJson('samples/huaian-2024.json'))));
});

/** Outline item titles: PDF literal strings holding UTF-16BE with a BOM. */
function outlineTitles(raw: string): string[] {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
  return [...raw.matchAll(/\/Title \((\xfe\xff(?:\\.|[^\\)])*)\)\n\/(?:Parent|Prev|Next|Dest|First|Count)/g)].map((m) => {
    const bytes = m[1]!.replace(/\\([0-7]{1,3}|.)/g, (_, e: string) =>
      /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (escapes[e] ?? e),
    );
    return Buffer.from(bytes.slice(2), 'latin1').swap16().toString('utf16le');
  });
}

describe('PDF: tables', () => {
  it.each(samples)('%s: every official label is printed, unbroken', async (s) => {
    const text = await streamText(rendered[s]!.file);
    const missing = LABELS.filter((l) => !text.includes(l.replace(/\s+/g, '')));
    expect(missing).toEqual([]);
  });

  // Each number is looked up where the official template has it: at the row of its row label and
  // the column of its column labels (test/fixtures/template-cells.tsv), as a reader finds it. With
  // every number different (distinct), a number bound to the wrong cell cannot pass.
  it.each([...samples, 'distinct'])('%s: every number is where the template puts it, under its row and column labels', (s) => {
    const { report, words: found } = rendered[s]!;
    const want = resolve(report, formFor().defaultTitle);
    const wrong = templateCells().flatMap((cell) => {
      const expected = String(getPath(want, cell.path));
      const got = wordAt(found, cell)?.text;
      return got === expected
        ? []
        : [`${cell.path} (${cell.table} ${cell.rowLabels.at(-1) ?? ''} × ${cell.columnLabels.join('/')}): ${got} ≠ ${expected}`];
    });
    expect(wrong).toEqual([]);
  });

  it.each(samples)('%s: every number is inside the cell the layout made for it', (s) => {
    const { misplaced, checked } = misplacedValues(rendered[s]!);
    expect(misplaced).toEqual([]);
    expect(checked).toBe(templateCells().length);
  });

  it('a number the user typed is printed as typed (the fee keeps its digits)', () => {
    expect(rendered['huaian-2024']!.words.some((w) => w.text === '24252.311082')).toBe(true);
  });

  it('Table 3 is on one page with its heading', async () => {
    for (const s of samples) {
      const pages = await pageTexts(rendered[s]!.file);
      const page = pages.find((p) => p.includes('三、收到和处理政府信息公开申请情况'))!;
      expect(page, s).toContain('申请人情况');
      expect(page, s).toContain('四、结转下年度继续办理');
    }
  });

  it('a table too tall for a page breaks, repeats its header and loses no spanned label', async () => {
    // The format with its tables set at 16 pt (and not allowed to shrink): table 3 cannot fit a page.
    const table = { ...gov2021.typography.table, size: 16, linePitch: 20, minSize: 16 };
    const layout: typeof gov2021 = { ...gov2021, typography: { ...gov2021.typography, table } };
    const report = readReportFile(`${ROOT}samples/huaian-2024.json`);
    const { fonts: set } = prepare(report);
    const ir = buildDocument(resolve(report, gov2021.defaultTitle), layout, set);
    const file = join(dir, 'tall-table.pdf');
    writeFileSync(file, await writePdf(ir, set));
    const text = await streamText(file);
    expect(LABELS.filter((l) => !text.includes(l))).toEqual([]);
    const pages = (await pageTexts(file)).filter((p) => p.includes('申请人情况'));
    expect(pages.length).toBeGreaterThan(1);
  });
});

describe('PDF: page and typography', () => {
  it('is A4 with the GB/T 9704 text block', async () => {
    const r = rendered['jiangsu-long-2024']!;
    expect((await info(r.file))['Page size']).toMatch(/^595\.27\d* x 841\.8\d* pts \(A4\)/);
    const body = r.words.filter((w) => w.yMin < 262 * MM); // above the footer
    const left = Math.min(...body.map((w) => w.xMin));
    const right = Math.max(...body.map((w) => w.xMax));
    const top = Math.min(...body.map((w) => w.yMin));
    const bottom = Math.max(...body.map((w) => w.yMax));
    expect(left).toBeCloseTo(28 * MM, 0);
    expect(right).toBeLessThanOrEqual((28 + 156) * MM + 0.5);
    expect(right).toBeGreaterThan((28 + 156) * MM - 2);
    expect(top).toBeGreaterThanOrEqual(37 * MM - 0.5);
    expect(bottom).toBeLessThanOrEqual((37 + 225) * MM + 0.5);
  });

  it('sets body text on a 28.95 pt line pitch, 28 characters a full line', () => {
    const r = rendered['jiangsu-long-2024']!;
    const lines = r.words.filter((w) => w.page === 2 && Math.abs(w.xMin - 28 * MM) < 0.5 && w.yMin < 262 * MM);
    const gaps = lines
      .slice(1)
      .map((w, i) => w.yMin - lines[i]!.yMin)
      .filter((g) => g < 40);
    expect(gaps.length).toBeGreaterThan(5);
    for (const g of gaps) expect(g).toBeCloseTo(28.95, 2);
    const full = lines.filter((w) => [...w.text].length === 28 && /^[\u4e00-\u9fff，。、；：“”（）]+$/u.test(w.text));
    expect(full.length).toBeGreaterThan(3);
  });

  it('numbers pages — N — at 14 pt, odd pages right and even pages left, one character in, 7 mm below the text block', async () => {
    const r = rendered['jiangsu-long-2024']!;
    const pages = Number((await info(r.file)).Pages);
    expect(pages).toBeGreaterThan(8);
    for (let p = 1; p <= pages; p++) {
      const foot = r.words.filter((w) => w.page === p && w.yMin > 262 * MM);
      expect(foot.map((w) => w.text).join(' '), `page ${p}`).toBe(`— ${p} —`);
      expect(foot[0]!.yMin).toBeCloseTo((262 + 7) * MM, 0);
      if (p % 2) expect(foot.at(-1)!.xMax).toBeCloseTo((28 + 156) * MM - 14, 0);
      else expect(foot[0]!.xMin).toBeCloseTo(28 * MM + 14, 0);
    }
  });

  it.each(samples)('%s: no heading is left alone at the foot of a page', async (s) => {
    const pages = (await pageTexts(rendered[s]!.file)).filter((p) => p.trim());
    pages.forEach((page, i) => {
      const lines = page
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !/^—\s*\d+\s*—$/.test(l));
      expect(lines.length).toBeGreaterThan(2);
      // A heading line (a table row starting 四、 has numbers after spaces: not a heading).
      expect(lines.at(-1), `page ${i + 1}`).not.toMatch(/^(?:[一二三四五六]、|（[一二三四五六七八九十]+）)\S*$/);
    });
  });

  it('breaks the title after the agency name', async () => {
    const first = (await pageTexts(rendered['yangshan-2024']!.file))[0]!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    expect(first.slice(0, 2)).toEqual(['金乡县羊山镇人民政府', '2024年度政府信息公开工作年度报告']);
  });

  it('embeds every font as a subset', async () => {
    const list = await fonts(rendered['huaian-2024']!.file);
    expect(list.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'XXGKSans-Regular',
      'XXGKSerif-Regular',
      'XXGKTitle-Regular',
      'XXGKWenKai-Regular',
    ]);
    for (const f of list) {
      expect(f.emb).toBe('yes');
      expect(f.sub).toBe('yes');
      expect(f.name).toMatch(/^[A-Z]{6}\+/);
    }
  });

  it('uses the fonts a font config names, relative to the config file', async () => {
    const config = join(dir, 'fonts.json');
    const wenkai = relative(dir, join(ROOT, 'fonts/XXGKWenKai-Regular.ttf'));
    writeFileSync(config, JSON.stringify({ body: wenkai, table: wenkai, pageNumber: { file: wenkai } }));
    const out = join(dir, 'font-config');
    const r = runCli(['render', 'samples/yangshan-2024.json', '-o', out, '--pdf', '--fonts', config]);
    expect(r.code, r.stderr).toBe(0);
    const names = (await fonts(join(out, 'yangshan-2024.pdf'))).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).not.toContain('XXGKSerif-Regular');
    expect(names).toContain('XXGKWenKai-Regular');
  });

  it('carries the metadata and a bookmark for each of the six parts', async () => {
    const r = rendered['huaian-2024']!;
    const i = await info(r.file);
    expect(i.Title).toBe('淮安市人民政府2024年度政府信息公开工作年度报告');
    expect(i.Author).toBe('淮安市人民政府');
    expect(i.Subject).toBe('2024年度政府信息公开工作年度报告');
    expect(i.Keywords).toContain('政府信息公开');
    expect(i.CreationDate).toContain('2025');
    const raw = readFileSync(r.file).toString('latin1');
    expect(raw).toContain('/Lang (zh-CN)');
    expect(outlineTitles(raw)).toEqual(templateHeadings());
  });
});

describe('PDF: what the layout measured is what is drawn', () => {
  // Real reports carry URLs, phone numbers, 12345 热线, APP, version numbers and kerned capitals.
  const MIXED =
    '本机关门户网站https://www.example.gov.cn/xxgk/2024/report.html已全面改版，Open Data 平台 API v2.1 已上线，' +
    '公开文件均提供PDF/A格式下载，12345 热线和政务服务APP同步推送政策解读，全年累计访问量1234567人次，较上年增长23.5%，AVATAR To WAVE。';
  const texts = [MIXED, MIXED.slice(7) + MIXED.slice(0, 7), `公开${MIXED}`, `2024年，${MIXED}`, `联系电话：0517-83605102。${MIXED}`];
  let ir: DocumentIR;
  let found: Word[][][];
  beforeAll(async () => {
    const b = blank();
    b.problems = texts;
    const { ir: laid, fonts: set } = prepare(parsed(b));
    ir = laid;
    const file = join(dir, 'mixed.pdf');
    writeFileSync(file, await writePdf(ir, set));
    // The PDF's lines: words on one baseline of one page, left to right.
    const lines = new Map<string, Word[]>();
    for (const w of await words(file)) {
      const key = `${w.page}:${w.yMin.toFixed(1)}`;
      lines.set(key, [...(lines.get(key) ?? []), w]);
    }
    // (Page numbers left out: a paragraph may run on to the next page.)
    const all = [...lines.values()].map((l) => l.sort((a, b) => a.xMin - b.xMin)).filter((l) => l[0]!.yMin < 262 * MM);
    const squash = (l: Word[]) =>
      l
        .map((w) => w.text)
        .join('')
        .replace(/\s+/g, '');
    // Each paragraph's lines: the run of consecutive PDF lines whose text is the paragraph's.
    found = texts.map((t) => {
      const want = t.replace(/\s+/g, '');
      for (let i = 0; i < all.length; i++) {
        let acc = '';
        for (let j = i; j < all.length && want.startsWith(acc); j++) {
          acc += squash(all[j]!);
          if (acc === want) return all.slice(i, j + 1);
        }
      }
      throw new Error(`paragraph not found in the PDF: ${t}`);
    });
  });

  it('every full line of a justified paragraph ends at the right edge of the text block (±0.5 pt)', () => {
    const right = (28 + 156) * MM;
    const off = found
      .flatMap((lines) => lines.slice(0, -1).map((l) => Math.max(...l.map((w) => w.xMax)) - right))
      .filter((d) => Math.abs(d) > 0.5);
    expect(off).toEqual([]);
    expect(found.flat().length).toBeGreaterThan(20);
  });

  it("the PDF has the layout's lines, and no line is a lone character before a stretched one", () => {
    const squash = (s: string) => s.replace(/\s+/g, '');
    texts.forEach((t, i) => {
      const block = ir.blocks.find((b) => b.type === 'paragraph' && b.text === t);
      if (block?.type !== 'paragraph') throw new Error('paragraph not in the IR');
      expect(found[i]!.map((l) => squash(l.map((w) => w.text).join('')))).toEqual(block.lines.map((l) => squash(l.text)));
      for (const l of block.lines.slice(0, -1)) expect([...l.text].length).toBeGreaterThan(1);
    });
  });
});

describe('PDF: reproducible, safe output', () => {
  it('gives the same bytes for the same report', async () => {
    const report = readReportFile(`${ROOT}samples/qingjiang-bureau-2024.json`);
    const a = await renderPdf(report);
    const b = await renderPdf(report);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('writes nothing when a rule fails, and a draft with --draft', async () => {
    const out = join(dir, 'rule-out');
    const r = runCli(['render', 'samples/invalid/huaian-2024-r1.json', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('表三 自然人 列');
    expect(readdirSync(out)).toEqual([]);
    const d = runCli(['render', 'samples/invalid/huaian-2024-r1.json', '-o', out, '--draft']);
    expect(d.code).toBe(1); // a draft is written, and the errors still fail the command
    expect(readdirSync(out).sort()).toEqual(['huaian-2024-r1.docx', 'huaian-2024-r1.pdf']);
    const pdf = join(out, 'huaian-2024-r1.pdf');
    expect((await streamText(pdf)).split('草稿').length - 1).toBe(Number((await info(pdf)).Pages));
  });

  it('refuses a character the fonts lack, by name, code point and path', () => {
    const b = blank();
    b.problems = ['工作中还存在不足😀需要改进'];
    const file = join(dir, 'emoji.json');
    writeFileSync(file, JSON.stringify(b));
    const out = join(dir, 'emoji-out');
    const r = runCli(['render', file, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('“😀”（U+1F600）');
    expect(r.stderr).toContain('problems[0]');
    expect(r.stderr).toContain('五、存在的主要问题及改进情况');
    expect(readdirSync(out)).toEqual([]);
    const v = runCli(['validate', file]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('U+1F600');
  });

  it('--pdfa writes a PDF/A-2b identification and an sRGB output intent', () => {
    const out = join(dir, 'pdfa');
    const r = runCli(['render', 'samples/yangshan-2024.json', '-o', out, '--pdfa']);
    expect(r.code).toBe(0);
    const raw = readFileSync(join(out, 'yangshan-2024.pdf')).toString('latin1');
    expect(raw).toMatch(/pdfaid:part>2</);
    expect(raw).toMatch(/pdfaid:conformance>B</);
    expect(raw).toContain('/OutputIntents');
  });

  it('--pdfa: every Info entry and its XMP equivalent agree, and the metadata stream has one /Length (ISO 19005-2 6.6.2.3.1)', async () => {
    const out = join(dir, 'pdfa');
    const file = join(out, 'yangshan-2024.pdf');
    if (!readdirSync(out).includes('yangshan-2024.pdf'))
      expect(runCli(['render', 'samples/yangshan-2024.json', '-o', out, '--pdfa']).code).toBe(0);
    const raw = readFileSync(file).toString('latin1');
    const packet = Buffer.from(/<\?xpacket begin.*?<\?xpacket end="w"\?>/s.exec(raw)![0], 'latin1').toString('utf8');
    const xml = (tag: string) => {
      const m = new RegExp(`<${tag}>(?:\\s*<rdf:(?:Alt|Seq)>\\s*<rdf:li[^>]*>)?([^<]*)<`).exec(packet);
      return m?.[1]
        ?.replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
    };
    const meta = await info(file);
    const pairs: [string, string][] = [
      ['CreationDate', 'xmp:CreateDate'],
      ['ModDate', 'xmp:ModifyDate'],
      ['Title', 'dc:title'],
      ['Author', 'dc:creator'],
      ['Subject', 'dc:description'],
      ['Producer', 'pdf:Producer'],
      ['Keywords', 'pdf:Keywords'],
      ['Creator', 'xmp:CreatorTool'],
    ];
    for (const [key, tag] of pairs) {
      expect(meta[key], key).toBeTruthy();
      expect(xml(tag), `${key} ↔ ${tag}`).toBe(meta[key]);
    }
    // The metadata stream's dictionary: its /Length, no stray lower-case /length.
    const dict = /<<([^>]*\/Type \/Metadata[^>]*)>>/.exec(raw)![1]!;
    expect(dict).toMatch(/\/Length \d+/);
    expect(dict).not.toMatch(/\/length/);
  });
});

describe('PDF: as the official template and GB/T 9704 set it (issue 23)', () => {
  const PITCH = 28.95;

  it.each(samples)('%s: a heading after a table stands a blank line below it (or starts the next page)', (s) => {
    const found = rendered[s]!.words;
    for (const head of ['三、', '四、', '五、']) {
      // The part's heading, two characters in (not a table's label of the same number).
      const h = found.find((w) => w.text.startsWith(head) && Math.abs(w.xMin - (28 + (2 * 156) / 28) * MM) < 1);
      if (!h) throw new Error(`heading ${head} not found`);
      // What is printed above the heading on its page: the last row of the table before it.
      const above = found.filter((w) => w.page === h.page && w.yMax < h.yMin);
      if (above.length === 0) continue; // the heading starts a page
      const bottom = Math.max(...above.map((w) => w.yMax));
      expect(h.yMin - bottom, `${s} ${head}`).toBeGreaterThan(PITCH);
    }
  });
});

describe('PDF: table labels as the template sets them (issue 23)', () => {
  /**
   * The PDF's lines of a label cell: starting at the word that opens the label, the words below
   * it whose centre is within the column, top to bottom, until they spell the label.
   */
  const labelLines = (found: Word[], label: string): Word[] => {
    const first = found.find((w) => w.text.length < label.length && label.startsWith(w.text) && w.text.length >= 2);
    if (!first) throw new Error(`label ${label} not found`);
    const mid = (w: Word) => (w.xMin + w.xMax) / 2;
    const below = found
      .filter((w) => w.page === first.page && w.yMin >= first.yMin - 0.5 && Math.abs(mid(w) - mid(first)) < 22)
      .sort((a, b) => a.yMin - b.yMin);
    const out: Word[] = [];
    for (const w of below) {
      if (out.map((x) => x.text).join('') === label) break;
      out.push(w);
    }
    expect(out.map((x) => x.text).join('')).toBe(label);
    return out;
  };
  const GROUPS = ['（三）不予公开', '（四）无法提供', '（五）不予处理', '（六）其他处理'];

  it.each([...samples, 'distinct'])('%s: no group label of table 3 leaves a lone character on a line', (s) => {
    for (const label of GROUPS) {
      const lines = labelLines(rendered[s]!.words, label).map((w) => w.text);
      expect(
        lines.filter((l) => [...l].length < 2),
        `${s} ${lines.join('/')}`,
      ).toEqual([]);
    }
  });

  const NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
  it("table 3's note is left-aligned, its lines the same whatever the numbers", () => {
    const sets = [...samples, 'distinct'].map((s) => {
      const found = rendered[s]!.words;
      const first = found.find((w) => NOTE.startsWith(w.text) && w.text.length > 4)!;
      const lines = found.filter((w) => w.page === first.page && w.yMin >= first.yMin - 0.5 && w.yMin < first.yMin + 40 && w.xMax < 300);
      expect(lines.map((w) => w.text).join('')).toBe(NOTE);
      // Each line starts at the cell's left edge: the table's (28 mm), its rule (0.75 pt) and padding (2 pt).
      for (const w of lines) expect(Math.abs(w.xMin - (28 * MM + 0.75 + 2)), `${s} ${w.text}`).toBeLessThan(0.5);
      return lines.map((w) => w.text);
    });
    for (const lines of sets) expect(lines).toEqual(sets[0]);
  });
});

/** A painted path of a page, in pt from the page's top left: a filled shape's colour or a stroke's width. */
interface Painted {
  page: number;
  fill?: string;
  lineWidth: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every filled or stroked path of a PDF, read with pdf.js's operator list. */
async function painted(file: string): Promise<Painted[]> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0, isEvalSupported: false }).promise;
  const out: Painted[] = [];
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const height = page.view[3]!;
      const ops = await page.getOperatorList();
      let ctm: Matrix = [1, 0, 0, 1, 0, 0];
      const stack: { ctm: Matrix; fill: string; width: number }[] = [];
      let fill = '#000000';
      let width = 1;
      const mul = (a: Matrix, b: Matrix): Matrix => [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
      ];
      ops.fnArray.forEach((fn, i) => {
        const args = ops.argsArray[i] as unknown[];
        if (fn === OPS.save) stack.push({ ctm, fill, width });
        else if (fn === OPS.restore) ({ ctm, fill, width } = stack.pop() ?? { ctm, fill, width });
        else if (fn === OPS.transform) ctm = mul(args as Matrix, ctm);
        else if (fn === OPS.setFillRGBColor) fill = String(args[0]).toLowerCase();
        else if (fn === OPS.setLineWidth) width = Number(args[0]);
        else if (fn === OPS.constructPath) {
          const path = decodePath(args);
          if (!path) return;
          const filled = path.paint === OPS.fill || path.paint === OPS.eoFill;
          const scale = Math.hypot(ctm[0], ctm[1]);
          for (const sub of path.subpaths) {
            const pts = sub.map(([x, y]) => [ctm[0] * x + ctm[2] * y + ctm[4], height - (ctm[1] * x + ctm[3] * y + ctm[5])] as const);
            const xs = pts.map((q) => q[0]);
            const ys = pts.map((q) => q[1]);
            out.push({
              page: p,
              ...(filled ? { fill } : {}),
              lineWidth: width * scale,
              xMin: Math.min(...xs),
              yMin: Math.min(...ys),
              xMax: Math.max(...xs),
              yMax: Math.max(...ys),
            });
          }
        }
      });
    }
  } finally {
    await doc.destroy();
  }
  return out;
}

describe('PDF: table 2 and table 3 ruled and shaded as the template (issue 23)', () => {
  it.each(samples)('%s: the 第二十条 rows of table 2 are left-aligned and shaded C6D9F1', async (s) => {
    const { file, words: found } = rendered[s]!;
    const shapes = await painted(file);
    const heads = found.filter((w) => /^第二十条第（[一五六八]）项$/.test(w.text));
    expect(heads).toHaveLength(4);
    for (const w of heads) {
      // Left: at the table's left edge, its rule and padding.
      expect(Math.abs(w.xMin - (28 * MM + 0.75 + 2)), w.text).toBeLessThan(0.5);
      // Under it, a fill of the template's colour spanning the table's width.
      const fill = shapes.find(
        (p) => p.page === w.page && p.fill && p.yMin <= w.yMin && p.yMax >= w.yMax && p.xMin <= w.xMin && p.xMax >= (28 + 156) * MM - 1,
      );
      expect(fill?.fill, w.text).toBe('#c6d9f1');
    }
    // Nothing else is shaded.
    expect(shapes.filter((p) => p.fill && p.fill !== '#000000' && p.page === heads[0]!.page && p.xMax - p.xMin > 10)).toHaveLength(4);
  });

  it.each(samples)('%s: table 3 rules its header rows off twice as heavy as its other rules', async (s) => {
    const { file, words: found } = rendered[s]!;
    const first = found.find((w) => w.text.startsWith('一、本年新收'))!;
    const rules = (await painted(file)).filter((p) => p.page === first.page && !p.fill && p.yMax - p.yMin < 0.01);
    // The rule just above the first body row (一、本年新收…) and the one just below it.
    const above = rules.filter((r) => r.yMin < first.yMin).sort((a, b) => b.yMin - a.yMin)[0]!;
    const below = rules.filter((r) => r.yMin > first.yMax).sort((a, b) => a.yMin - b.yMin)[0]!;
    expect(above.lineWidth).toBeCloseTo(1.5, 2);
    expect(below.lineWidth).toBeCloseTo(0.75, 2);
  });
});

describe('PDF: the signature as GB/T 9704 §7.3.5.2 sets it (issue 23)', () => {
  const RIGHT = (28 + 156) * MM;
  const CHAR = (156 * MM) / 28;
  /** The agency's and the date's words: the last two lines of the last page above the page number. */
  const signatureOf = (found: Word[], name: string, date: string) => {
    const n = found.findLast((w) => w.text === name)!;
    const d = found.findLast((w) => w.text === date)!;
    expect(n, name).toBeDefined();
    expect(d, date).toBeDefined();
    return { n, d };
  };

  it.each(samples)('%s: the agency two characters in, the date starting two characters right of it', (s) => {
    const { report, words: found } = rendered[s]!;
    const sig = report.signature;
    if (!sig) return expect(s).toBe('yangshan-2024'); // the one sample without a signature
    const [y, m, d] = sig.date.split('-').map(Number);
    const { n, d: date } = signatureOf(found, sig.name, `${y}年${m}月${d}日`);
    expect(date.yMin).toBeGreaterThan(n.yMax - 1);
    expect(date.xMin - n.xMin).toBeCloseTo(2 * CHAR, 0);
    if (date.xMax - date.xMin <= n.xMax - n.xMin) expect(RIGHT - n.xMax).toBeCloseTo(2 * CHAR, 0);
  });

  it('a date longer than the agency: the date two characters in, the agency moved left to keep the two characters', async () => {
    const b = blank();
    b.agency = '某局';
    b.signature = { name: '某局', date: '2025-12-31' };
    const r = await render('short-agency', parsed(b));
    const { n, d } = signatureOf(r.words, '某局', '2025年12月31日');
    expect(RIGHT - d.xMax).toBeCloseTo(2 * CHAR, 0);
    expect(d.xMin - n.xMin).toBeCloseTo(2 * CHAR, 0);
  });
});

describe('PDF: paragraphs end and break as a Chinese typesetter sets them (issue 23)', () => {
  const squash = (s: string) => s.replace(/\s+/g, '');
  /** Each body paragraph's lines in the PDF, as [page, text] pairs, found by the paragraph's text. */
  const paragraphLines = (r: Rendered) => {
    const byLine = new Map<string, Word[]>();
    for (const w of r.words.filter((x) => x.yMin < 262 * MM)) {
      const key = `${w.page}:${w.yMax.toFixed(0)}`;
      byLine.set(key, [...(byLine.get(key) ?? []), w]);
    }
    const lines = [...byLine.values()].map((l) => ({
      page: l[0]!.page,
      text: squash(
        l
          .sort((a, b) => a.xMin - b.xMin)
          .map((w) => w.text)
          .join(''),
      ),
    }));
    const body = r.ir.blocks
      .flatMap((b) => (b.type === 'group' ? b.blocks : [b]))
      .filter((b) => b.type === 'paragraph' && b.style === 'body');
    return body.map((b) => {
      const want = squash((b as { text: string }).text);
      for (let i = 0; i < lines.length; i++) {
        let acc = '';
        for (let j = i; j < lines.length && want.startsWith(acc + lines[j]!.text); j++) {
          acc += lines[j]!.text;
          if (acc === want) return lines.slice(i, j + 1);
        }
      }
      throw new Error(`paragraph not found in the PDF: ${want.slice(0, 20)}`);
    });
  };
  const CLOSING = /[，。、；：？！）》」』】〕〉”’…·％%,.;:?!)\]}]/u;

  it.each(samples)('%s: no paragraph ends with a line of fewer than two characters before its closing punctuation', (s) => {
    const short = paragraphLines(rendered[s]!)
      .filter((l) => l.length > 1)
      .map((l) => l.at(-1)!.text)
      .filter((t) => [...t].filter((c) => !CLOSING.test(c)).length < 2);
    expect(short).toEqual([]);
  });

  it.each(samples)('%s: no paragraph leaves a single line at the top (widow) or the foot (orphan) of a page', (s) => {
    const bad: string[] = [];
    for (const lines of paragraphLines(rendered[s]!)) {
      const pages = new Map<number, number>();
      for (const l of lines) pages.set(l.page, (pages.get(l.page) ?? 0) + 1);
      if (pages.size > 1 && [...pages.values()].some((n) => n < 2))
        bad.push(`${lines[0]!.text.slice(0, 12)}… ${[...pages.values()].join('+')}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('PDF: URLs break, justified lines stretch within bounds (issue 23)', () => {
  const URL_TEXT =
    '全年在政府网站发布信息3852条，访问量达120万人次，网址为https://www.example.gov.cn/col/col1234/index.html?uid=5678&pageNum=1，' +
    '依申请公开栏目网址为http://xxgk.example.gov.cn/xxgk/ysqgk/2024-report_final.html。';
  const MIXED =
    '本机关门户网站https://www.example.gov.cn/xxgk/2024/report.html已全面改版，Open Data 平台 API v2.1 已上线，' +
    '公开文件均提供PDF/A格式下载，12345 热线和政务服务APP同步推送政策解读，全年累计访问量1234567人次，较上年增长23.5%，AVATAR To WAVE。';
  const texts = [URL_TEXT, `公开${URL_TEXT}`, `2024年，${URL_TEXT}`, MIXED, `公开${MIXED}`, `联系电话：0517-83605102。${MIXED}`];
  let lines: Word[][];
  let ir: DocumentIR;
  beforeAll(async () => {
    const b = blank();
    b.problems = texts;
    const r = await render('urls', parsed(b));
    ir = r.ir;
    const byLine = new Map<string, Word[]>();
    for (const w of r.words.filter((x) => x.yMin < 262 * MM)) {
      const key = `${w.page}:${w.yMax.toFixed(0)}`;
      byLine.set(key, [...(byLine.get(key) ?? []), w]);
    }
    lines = [...byLine.values()].map((l) => l.sort((a, b) => a.xMin - b.xMin));
  });

  it('a URL breaks after / . - ? & = and never inside ://', () => {
    const paragraphs = ir.blocks.filter((b) => b.type === 'paragraph' && texts.includes(b.text)) as ParagraphLike[];
    expect(paragraphs).toHaveLength(texts.length);
    const ends = paragraphs.flatMap((p) => p.lines.slice(0, -1).map((l) => l.text));
    for (const e of ends) {
      const tail = /[A-Za-z0-9:/.\-?&=_]+$/.exec(e)?.[0];
      if (tail && /https?:|www|\.html|\.cn/.test(tail)) expect(e, e).toMatch(/[/.\-?&=]$/);
      expect(e).not.toMatch(/:\/?$/);
    }
    // Some URL breaks at a sign other than a slash (the slash was the only one before).
    expect(ends.filter((e) => /[a-z0-9][.\-?&=]$/.test(e)).length).toBeGreaterThan(0);
  });

  it('no two characters of a full justified line stand more than 0.25 em (4 pt) apart', () => {
    const right = (28 + 156) * MM;
    const full = lines.filter((l) => Math.abs(l.at(-1)!.xMax - right) < 0.6);
    expect(full.length).toBeGreaterThan(10);
    const wide: string[] = [];
    for (const l of full) {
      const text = l.map((w) => w.text).join('');
      // Between the words of a line (a run's end and the next run's start)…
      l.slice(1).forEach((w, i) => {
        const gap = w.xMin - l[i]!.xMax;
        const spaced = texts.some((t) => t.includes(`${l[i]!.text.at(-1)} ${w.text[0]}`)); // a space of the text
        if (gap > 4.3 && !spaced) wide.push(`${text}: ${gap.toFixed(1)} pt before ${w.text}`);
      });
      // …and inside a run of Han characters (16 pt each): its pitch less the character.
      for (const w of l)
        if ([...w.text].length > 2 && /^[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+$/u.test(w.text)) {
          const pitch = (w.xMax - w.xMin) / [...w.text].length;
          if (pitch - 16 > 4.3) wide.push(`${text}: ${w.text} at ${pitch.toFixed(1)} pt`);
        }
    }
    expect(wide).toEqual([]);
  });
});

type ParagraphLike = { text: string; lines: { text: string }[] };
