/**
 * Hardening, second round: each describe block is one class of defect a hostile probe found —
 * its own cases, the documented exit code, a Chinese message, no stack trace, nothing half-written.
 * Big inputs are generated here, never committed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFontSet } from '../src/fonts/index.js';
import { balanceTitle, bestBreaks } from '../src/layout/title.js';
import { renderDocx, renderPdf } from '../src/app/render.js';
import { docxParts } from './helpers/docx.js';
import { info, pageTexts } from './helpers/pdf.js';
import { blank, CLI, parsed, ROOT, runCli } from './helpers/reports.js';
import { collectionOf } from './helpers/fonts.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-harden-'));
afterAll(() => {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // a mount point still busy: leave it
  }
});
const sample = (): Record<string, any> => JSON.parse(readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8'));
const write = (name: string, content: unknown): string => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return file;
};
const listing = (d: string): string[] => (existsSync(d) ? readdirSync(d) : []);

/** validate and render give one answer: the exit code, the words, no stack trace, no file. */
function refused(file: string, exit: number, words: string[], extra: string[] = []): void {
  const out = join(dir, `out-${file.replace(/\W+/g, '_')}`);
  for (const args of [
    ['validate', file, ...extra],
    ['render', file, '-o', out, ...extra],
  ]) {
    const r = runCli(args);
    const text = r.stdout + r.stderr;
    expect(r.code, `${args[0]}: ${text.slice(0, 2000)}`).toBe(exit);
    for (const w of words) expect(text, args[0]).toContain(w);
    expect(text).not.toMatch(NOT_A_STACK);
    expect(text).not.toContain('内部错误');
  }
  expect(listing(out)).toEqual([]);
}

/** A report at the size limits: 2,000 paragraphs, 100 headings, about 200,000 characters. */
function largest(): Record<string, any> {
  const r = sample();
  const text = '持续推进政务公开标准化规范化建设，进一步提升政府信息公开工作质量，切实保障人民群众的知情权、参与权、表达权和监督权。';
  r.overview.intro = [];
  // Every part has some text (a part with none is an error for a final render, EMPTY_TEXT): 99 + 1
  // headings, 99 × 20 + 19 + 1 paragraphs.
  r.other = [{ heading: '其他事项', paragraphs: ['无。'] }];
  r.preface = [];
  r.problems = Array.from({ length: 19 }, (_, i) => `五-${i}：${text}${text}`.slice(0, 98));
  r.overview.sections = Array.from({ length: 99 }, (_, s) => ({
    heading: `工作事项${s + 1}`,
    paragraphs: Array.from({ length: 20 }, (_, i) => `${s}-${i}：${text}${text}`.slice(0, 98)),
  }));
  return r;
}

/** The title balancing as it was: every combination of break points (exponential), as the oracle. */
function bruteForce(
  positions: number[],
  agencyEnd: number,
  maxWidth: number,
  lineWidth: (a: number, b: number) => number,
): number[] | undefined {
  const cuts = positions.slice(1, -1);
  const end = positions.at(-1)!;
  let best: { bounds: number[]; cost: number } | undefined;
  for (let n = 2; n <= cuts.length + 1 && !best; n++) {
    const choose = (start: number, left: number, picked: number[]) => {
      if (left === 0) {
        const bounds = [0, ...picked, end];
        const widths = bounds.slice(1).map((e, i) => lineWidth(bounds[i]!, e));
        if (widths.some((w) => w > maxWidth)) return;
        const cost = Math.max(...widths) - Math.min(...widths) + (agencyEnd > 0 && !picked.includes(agencyEnd) ? maxWidth : 0);
        if (!best || cost < best.cost) best = { bounds, cost };
        return;
      }
      for (let i = start; i < cuts.length; i++) choose(i + 1, left - 1, [...picked, cuts[i]!]);
    };
    choose(0, n - 1, []);
  }
  return best?.bounds;
}

const NOT_A_STACK = /\n\s+at .*:\d+:\d+/;

describe('1. title layout is polynomial and makes the choice it always made', () => {
  it('chooses what the exhaustive search chooses (random widths, up to 11 break points)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 6, max: 30 }),
        fc.integer({ min: 0, max: 12 }),
        (chunks, maxWidth, agencyAt) => {
          const positions = [0];
          for (const c of chunks) positions.push(positions.at(-1)! + c);
          // Widths with fractions, as real glyph advances have.
          const lineWidth = (a: number, b: number) => (b - a) * 1.37 + (a % 3) * 0.11;
          const agencyEnd = positions[Math.min(agencyAt, positions.length - 1)]!;
          // (A title that fits on one line is one line; the search starts at two.)
          fc.pre(lineWidth(0, positions.at(-1)!) > maxWidth);
          expect(bestBreaks(positions, agencyEnd, maxWidth, lineWidth)).toEqual(bruteForce(positions, agencyEnd, maxWidth, lineWidth));
        },
      ),
      { numRuns: 400 },
    );
  });

  const fonts = loadFontSet();
  const offices = [
    '淮安市发展和改革委员会',
    '淮安市教育局',
    '淮安市科学技术局',
    '淮安市工业和信息化局',
    '淮安市民族宗教事务局',
    '淮安市公安局',
    '淮安市民政局',
    '淮安市司法局',
    '淮安市财政局',
    '淮安市人力资源和社会保障局',
    '淮安市自然资源和规划局',
    '淮安市生态环境局',
    '淮安市住房和城乡建设局',
  ];

  it('lays out a 119-character title (and a 200-character one) in milliseconds', () => {
    for (const count of [11, 13]) {
      const agency = offices.slice(0, count).join('、');
      const title = `${agency}2024年度政府信息公开工作年度报告`;
      const t0 = performance.now();
      const lines = balanceTitle(title, agency, fonts, 'title', 22, 442);
      expect(performance.now() - t0).toBeLessThan(500);
      expect(lines.join('')).toBe(title);
      for (const line of lines) expect(fonts.measure('title', line, 22)).toBeLessThanOrEqual(442);
    }
    // Without the agency at its start every word boundary may break: the most break points.
    const words = '政府信息公开工作情况报告'.repeat(17).slice(0, 200);
    const t0 = performance.now();
    expect(balanceTitle(words, '某某局', fonts, 'title', 22, 442).join('')).toBe(words);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('1. a long render stops at once on a signal', () => {
  it('SIGTERM during a render exits 143 promptly and leaves nothing of the report in progress', async () => {
    // Three reports at the limits: several seconds each, so the signal comes in the first.
    const files = ['long-a', 'long-b', 'long-c'].map((n) => write(`${n}.json`, largest()));
    const out = join(dir, 'sigterm-out');
    const child = spawn(process.execPath, [CLI, 'render', ...files, '-o', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Long enough for the worker to be busy laying out the first report.
    await new Promise((r) => setTimeout(r, 1500));
    const sent = performance.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(performance.now() - sent).toBeLessThan(1500);
    expect(code, stderr).toBe(143);
    expect(stderr).toContain('已中断');
    expect(stderr).not.toMatch(NOT_A_STACK);
    // What was finished before the signal stays, whole; the report in progress left nothing, not
    // even a temporary file; the reports after it were not started.
    const left = listing(out);
    expect(left.filter((f) => !/^long-[abc]\.(?:pdf|docx)$/u.test(f))).toEqual([]);
    for (const stem of ['long-a', 'long-b', 'long-c'])
      expect([`${stem}.docx`, `${stem}.pdf`].filter((f) => left.includes(f)).length, stem).not.toBe(1);
    expect(left.includes('long-c.pdf')).toBe(false);
  });
});

describe('2. the limits bound the whole report', () => {
  it('refuses 100 sections of 2,000 paragraphs, quickly', () => {
    const r = sample();
    r.overview.sections = Array.from({ length: 100 }, (_, s) => ({
      heading: `事项${s + 1}`,
      paragraphs: Array.from({ length: 2000 }, () => '公开'),
    }));
    const t0 = performance.now();
    refused(write('sections-x-paragraphs.json', r), 2, ['报告过长：全文共 2000', '上限 2000 段']);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('counts paragraphs across parts, sections across parts and characters in total', () => {
    const r = sample();
    r.preface = Array.from({ length: 1000 }, () => '前言。');
    r.problems = Array.from({ length: 1001 }, () => '问题。');
    refused(write('paragraphs-total.json', r), 2, ['全文共 20', '上限 2000 段']);

    const s = sample();
    s.overview.sections = Array.from({ length: 50 }, (_, i) => ({ heading: `事项${i + 1}`, paragraphs: [] }));
    s.other = Array.from({ length: 51 }, (_, i) => ({ heading: `其他${i + 1}`, paragraphs: [] }));
    refused(write('sections-total.json', s), 2, ['小标题过多', '共 101 个小标题，上限 100 个']);

    const c = sample();
    c.problems = Array.from({ length: 41 }, () => '改'.repeat(5000));
    refused(write('chars-total.json', c), 2, ['报告过长：全文共 2', '上限 200000 字']);
  });

  it('renders a report at the limits (2,000 paragraphs, 200,000 characters, 100 headings)', () => {
    const r = largest();
    const file = write('at-limits.json', r);
    const out = join(dir, 'at-limits-out');
    const res = runCli(['render', file, '-o', out, '--pdf']);
    expect(res.code, res.stderr).toBe(0);
    expect(listing(out)).toEqual(['at-limits.pdf']);
  });
});

// A real XML parser (sax in strict mode, through xmldoc, both already installed with pdfmake).
type XmlNode = { name: string; val: string; children: XmlNode[]; attr: Record<string, string> };
const require = createRequire(import.meta.url);
const { XmlDocument } = require(require.resolve('xmldoc', { paths: [require.resolve('pdfmake')] })) as {
  XmlDocument: new (xml: string) => XmlNode;
};
const find = (node: XmlNode, name: string): XmlNode | undefined =>
  node.name === name ? node : (node.children ?? []).reduce<XmlNode | undefined>((hit, c) => hit ?? find(c, name), undefined);

describe('3. every string in XML we write is escaped', () => {
  const agency = '淮安市A&B<研究>中心';
  const title = `${agency}"关于" '2024年度' (政府信息公开) \\ 工作年度报告`;
  const report = () => {
    const r = sample();
    r.agency = agency;
    r.title = title;
    r.signature.name = agency;
    r.problems = ['<b>加粗</b> & 其他 "引号" \'单引号\''];
    return parsed(r);
  };

  it('the XMP packet of a PDF/A parses, and dc:title / dc:creator are the title and agency exactly', async () => {
    const pdf = Buffer.from(await renderPdf(report(), { pdfa: true }));
    const packet = /<\?xpacket begin.*?<\?xpacket end="w"\?>/s.exec(pdf.toString('latin1'))![0];
    const xmp = new XmlDocument(Buffer.from(packet, 'latin1').toString('utf8'));
    expect(find(find(xmp, 'dc:title')!, 'rdf:li')!.val).toBe(title);
    expect(find(find(xmp, 'dc:creator')!, 'rdf:li')!.val).toBe(agency);
    expect(find(xmp, 'pdf:Keywords')!.val).toContain(agency);
    expect(find(xmp, 'pdfaid:part')!.val).toBe('2');
    // The Info dictionary keeps the strings as they are (pdf.js decodes the PDF strings, as pdfinfo does).
    const file = write('xmp.pdf', pdf);
    const meta = await info(file);
    expect(meta.Title).toBe(title);
    expect(meta.Author).toBe(agency);
  });

  it('the DOCX parts parse, and core.xml has the title and agency exactly', async () => {
    const parts = docxParts(await renderDocx(report()));
    for (const [name, xml] of Object.entries(parts)) expect(() => new XmlDocument(xml), name).not.toThrow();
    const core = new XmlDocument(parts['docProps/core.xml']!);
    expect(find(core, 'dc:title')!.val).toBe(title);
    expect(find(core, 'dc:creator')!.val).toBe(agency);
  });
});

describe('4. render refuses two inputs with one output name', () => {
  it('names both inputs, exits 2 and renders nothing', () => {
    const pairs: [string, string][] = [
      ['a/report.json', 'b/report.json'],
      ['c/Report.json', 'd/report.JSON'],
      ['e/x.json', 'e/x.json'],
    ];
    for (const [a, b] of pairs) {
      for (const f of [a, b]) {
        mkdirSync(join(dir, f, '..'), { recursive: true });
        writeFileSync(join(dir, f), readFileSync(join(ROOT, 'samples/yangshan-2024.json')));
      }
      const out = join(dir, `clash-out-${a[0]}`);
      const r = runCli(['render', join(dir, a), join(dir, b), '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(join(dir, a));
      expect(r.stderr).toContain(join(dir, b));
      expect(r.stderr).toContain('输出文件名相同');
      expect(r.stdout).toBe('');
      expect(listing(out)).toEqual([]);
    }
  });
});

describe('5. a broken link is one failed input of a batch', () => {
  it('names dangling and looping *.json links, writes the good report and batch-report.json', () => {
    const input = join(dir, 'links-in');
    mkdirSync(input);
    writeFileSync(join(input, 'good.json'), readFileSync(join(ROOT, 'samples/yangshan-2024.json')));
    symlinkSync(join(input, 'nowhere'), join(input, 'dangling.json'));
    symlinkSync('loop.json', join(input, 'loop.json'));
    symlinkSync('ping.json', join(input, 'pong.json'));
    symlinkSync('pong.json', join(input, 'ping.json'));
    const out = join(dir, 'links-out');
    const r = runCli(['batch', input, '-o', out, '--pdf', '--jobs', '1']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('内部错误');
    expect(r.stderr).toContain('dangling.json：是符号链接，但它指向的文件不存在');
    expect(r.stderr).toContain('loop.json：是循环的符号链接');
    const report = JSON.parse(readFileSync(join(out, 'batch-report.json'), 'utf8'));
    const status = Object.fromEntries(
      report.entries.map((e: { input: string; status: string }) => [e.input.replace(/.*\//, ''), e.status]),
    );
    expect(status).toEqual({
      'dangling.json': 'failed',
      'good.json': 'written',
      'loop.json': 'failed',
      'ping.json': 'failed',
      'pong.json': 'failed',
    });
    expect(listing(out).sort()).toEqual(['batch-report.json', 'good.pdf']);
    // Given by name, a link to nothing is the same failure (validate: exit 2).
    const v = runCli(['validate', join(input, 'dangling.json')]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('指向的文件不存在');
  });
});

describe('6. deep nesting and huge values: a short message, exit 2', () => {
  it('refuses JSON nested deeper than 64 levels, valid or not, anywhere', () => {
    refused(write('deep-5000.json', '['.repeat(5000)), 2, ['JSON 嵌套过深', '上限 64 层']);
    refused(write('deep-100000.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`), 2, ['JSON 嵌套过深', '第 1 行第 65 列']);
    const r = JSON.stringify(sample()).replace('"agency":', `"agency":${'['.repeat(5000)}1${']'.repeat(5000)},"x":`);
    refused(write('deep-field.json', r), 2, ['JSON 嵌套过深']);
    // Closing brackets first do not hide the opening ones after them.
    refused(write('deep-unbalanced.json', `${']'.repeat(1000)}${'{"a":'.repeat(2000)}`), 2, ['JSON 嵌套过深']);
  });

  it('quotes at most a short prefix of a value, a key or an argument', () => {
    const huge = sample();
    huge.agency = '长'.repeat(1000).repeat(1000);
    huge.overview.sections[0].heading = `（一）${'标'.repeat(300)}`;
    huge[`k${'x'.repeat(1_000_000)}`] = 1;
    huge.year = 'y'.repeat(100_000);
    huge.proactive.fees = '9'.repeat(100_000);
    huge.preface = ['a'.repeat(100_000)];
    const file = write('huge-values.json', huge);
    for (const args of [
      ['validate', file],
      ['validate', file, '--json'],
      ['render', file, '-o', join(dir, 'huge-out')],
    ]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout.length + r.stderr.length).toBeLessThan(6000);
      expect(r.stdout + r.stderr).toContain('（共 ');
    }
    const init = runCli(['init', '--agency', '某局', '--year', '9'.repeat(100_000)]);
    expect(init.code).toBe(2);
    expect(init.stderr.length).toBeLessThan(500);
  });

  it('lists at most 100 problems of one file, and says how many more', () => {
    const r = sample();
    r.problems = Array.from({ length: 2000 }, (_, i) => i);
    const v = runCli(['validate', write('many-errors.json', r)]);
    expect(v.code).toBe(2);
    expect(v.stderr.trim().split('\n')).toHaveLength(101);
    expect(v.stderr).toContain('还有 1900 个错误未列出');
  });
});

describe('7. reading stops at the limit, whatever the file is', () => {
  it('/dev/zero, a 20 MB pipe on stdin and a 20 MB FIFO: TOO_LARGE after 5 MB, in seconds', async () => {
    const t0 = performance.now();
    const z = runCli(['validate', '/dev/zero']);
    expect(z.code).toBe(2);
    expect(z.stderr).toContain('读到 5242880 字节（5 MB）仍未结束，已停止读取');
    const p = spawnSync('sh', ['-c', `head -c 20000000 /dev/zero | '${process.execPath}' '${CLI}' validate /dev/stdin`], {
      encoding: 'utf8',
    });
    expect(p.status).toBe(2);
    expect(p.stderr).toContain('已停止读取');
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [CLI, 'validate', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const writer = spawn('sh', ['-c', `head -c 20000000 /dev/zero > '${fifo}'`], { stdio: 'ignore' });
    const code = await new Promise<number | null>((res) => child.on('close', res));
    writer.kill();
    expect(code).toBe(2);
    expect(stderr).toContain('已停止读取');
    expect(performance.now() - t0).toBeLessThan(30_000);
    // A report on stdin is still read whole.
    const ok = spawnSync(process.execPath, [CLI, 'validate', '/dev/stdin'], {
      input: readFileSync(join(ROOT, 'samples/huaian-2024.json')),
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('a font that is a device, a folder or over 64 MB, and a font config that is huge, are refused by name', () => {
    const report = join(ROOT, 'samples/yangshan-2024.json');
    const sparse = join(dir, 'huge.ttf');
    writeFileSync(sparse, '');
    truncateSync(sparse, 65 * 1024 * 1024);
    const cases: [unknown, string][] = [
      [{ body: '/dev/zero' }, '正文字体：不是普通文件'],
      [{ title: dir }, '标题字体：不是普通文件'],
      [{ table: sparse }, '表格字体：字体文件过大：68157440 字节，上限 67108864 字节（64 MB）'],
    ];
    for (const [i, [config, words]] of cases.entries()) {
      const fonts = write(`fonts-${i}.json`, config);
      refused(report, 2, [words], ['--fonts', fonts]);
    }
    refused(report, 2, ['字体配置文件过大'], ['--fonts', '/dev/zero']);
    const manyKeys = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`r${i}${'x'.repeat(10_000)}`, 'a.ttf']));
    const r = runCli(['validate', report, '--fonts', write('fonts-keys.json', manyKeys)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('等 50 个');
    expect(r.stderr.length).toBeLessThan(2000);
  });
});

describe("8. a report's outputs are written together or not at all", () => {
  const temps = (d: string) => listing(d).filter((f) => f.endsWith('.tmp'));

  it('render: a folder where x.docx should go leaves no x.pdf, and says so in Chinese', () => {
    const out = join(dir, 'isdir-out');
    mkdirSync(join(out, 'yangshan-2024.docx'), { recursive: true });
    const r = runCli(['render', join(ROOT, 'samples/yangshan-2024.json'), '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`无法写入 ${join(out, 'yangshan-2024.docx')}：已有同名的文件夹（这份报告的文件均未写入）`);
    expect(r.stderr).not.toContain('EISDIR');
    expect(listing(out)).toEqual(['yangshan-2024.docx']);
  });

  it('batch: the same report fails with no outputs on disk, the others are written', () => {
    const input = join(dir, 'isdir-batch-in');
    mkdirSync(input);
    writeFileSync(join(input, 'a.json'), readFileSync(join(ROOT, 'samples/yangshan-2024.json')));
    writeFileSync(join(input, 'b.json'), readFileSync(join(ROOT, 'samples/yangshan-2024.json')));
    const out = join(dir, 'isdir-batch-out');
    mkdirSync(join(out, 'a.docx'), { recursive: true });
    const r = runCli(['batch', input, '-o', out, '--jobs', '1']);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'batch-report.json'), 'utf8'));
    expect(report.entries.map((e: { status: string; outputs: unknown[] }) => [e.status, e.outputs.length])).toEqual([
      ['failed', 0],
      ['written', 2],
    ]);
    expect(listing(out).sort()).toEqual(['a.docx', 'b.docx', 'b.pdf', 'batch-report.json']);
    expect(temps(out)).toEqual([]);
  });

  it('an empty -o or a path through a file is refused in Chinese, before anything renders', () => {
    const e = runCli(['render', join(ROOT, 'samples/yangshan-2024.json'), '-o', '']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('输出文件夹不能为空');
    const file = write('plain-file', 'x');
    const n = runCli(['render', join(ROOT, 'samples/jiangsu-long-2024.json'), '-o', join(file, 'sub')]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('路径中有一级不是文件夹');
    // (jiangsu-long has an R8 warning, printed after rendering: none here.)
    expect(n.stderr).not.toContain('[R8]');
  });

  // Read-only and full file systems need root to mount a small tmpfs: try one (and take it down
  // again) to know; mount for the tests in beforeAll, which runs only when they do.
  const ro = join(dir, 'ro');
  const tiny = join(dir, 'tiny');
  mkdirSync(ro);
  mkdirSync(tiny);
  const mount = (target: string, options: string) =>
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', target], { stdio: 'ignore' });
  let mounted = false;
  try {
    mount(tiny, 'size=96k');
    execFileSync('umount', [tiny], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  beforeAll(() => {
    if (!mounted) return;
    mount(ro, 'ro,size=64k');
    mount(tiny, 'size=96k');
  });
  afterAll(() => {
    for (const m of [ro, tiny]) spawnSync('umount', [m], { stdio: 'ignore' });
  });

  it.skipIf(!mounted)('a read-only output folder (or one to be made in it) is found before rendering', () => {
    for (const out of [ro, join(ro, 'sub')]) {
      const r = runCli(['render', join(ROOT, 'samples/jiangsu-long-2024.json'), '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`无法写入输出文件夹 ${out}：磁盘为只读`);
      expect(r.stderr).not.toContain('[R8]');
    }
  });

  it.skipIf(!mounted)('a full disk in a batch: the report fails with outputs [] and no file of it remains', () => {
    const input = join(dir, 'full-in');
    mkdirSync(input);
    writeFileSync(join(input, 'long.json'), readFileSync(join(ROOT, 'samples/jiangsu-long-2024.json')));
    const r = runCli(['batch', input, '-o', tiny, '--jobs', '1']);
    expect(r.stderr).toContain('磁盘空间不足');
    expect(listing(tiny).filter((f) => f.startsWith('long'))).toEqual([]);
    expect(temps(tiny)).toEqual([]);
    if (existsSync(join(tiny, 'batch-report.json'))) {
      const report = JSON.parse(readFileSync(join(tiny, 'batch-report.json'), 'utf8'));
      expect(report.entries[0]).toMatchObject({ status: 'failed', outputs: [] });
    }
  });
});

describe('9. counts stay exact: at most 10^12 a cell', () => {
  it('refuses counts past the maximum, naming label, path, the value as typed and the maximum', () => {
    const text = JSON.stringify(blank())
      .replace('"received":{"naturalPerson":0', '"received":{"naturalPerson":9007199254740991')
      .replace('"carriedOver":{"naturalPerson":0', '"carriedOver":{"naturalPerson":9007199254740993')
      .replace(
        '"review":{"upheld":0,"corrected":0,"other":0,"pending":0,"total":0}',
        '"review":{"upheld":0,"corrected":0,"other":0,"pending":0,"total":9007199254740992}',
      );
    refused(write('unsafe-counts.json', text), 2, [
      '表三 一、本年新收政府信息公开申请数量 / 申请人情况 自然人：数值 9007199254740991 超过上限 1000000000000',
      '（applications.received.naturalPerson）',
      '二、上年结转政府信息公开申请数量 / 申请人情况 自然人：数值 9007199254740993 超过上限',
      '表四 行政复议 总计：数值 9007199254740992 超过上限',
    ]);
  });

  it('accepts 10^12 in every cell of a row, sums it exactly, and finds a difference of 1', () => {
    const b = blank();
    for (const k of ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other']) {
      b.applications.received[k] = 1e12;
      b.applications.granted[k] = 1e12;
    }
    // The totals (6 × 10^12) are left to the program.
    delete b.applications.received.total;
    delete b.applications.granted.total;
    delete b.applications.total;
    const r = runCli(['validate', write('max-counts.json', b)]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    b.applications.carriedOver.other = 1;
    delete b.applications.carriedOver.total;
    const off = runCli(['validate', write('max-counts-off.json', b)]);
    expect(off.code).toBe(1);
    expect(off.stdout).toContain('第一项加第二项之和 1000000000001 ≠ 第三项加第四项之和 1000000000000');
  });
});

describe('11. no raw control characters reach the terminal', () => {
  it('values, keys and file names with ESC, BEL, NUL, C1 and bidi controls are shown as \\u escapes', () => {
    const r = sample();
    r.proactive.fees = '1\u001b[2J\u0007';
    r.year = '20\u000024';
    r[`k\u001b]0;pwned\u0007\u009b\u202e`] = 1;
    const file = write('esc\u001b[31m\u0007.json', r);
    const runs = [
      runCli(['validate', file]),
      runCli(['validate', file, '--json']),
      runCli(['render', file, '-o', join(dir, 'esc-out')]),
      runCli(['batch', file, '-o', join(dir, 'esc-batch')]),
      runCli(['validate', '--x\u001b[2J']),
    ];
    for (const res of runs) {
      const text = res.stdout + res.stderr;
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/u);
      expect(res.code).not.toBe(0);
    }
    expect(runs[0]!.stderr).toContain('esc\\u001b[31m\\u0007.json');
    expect(runs[0]!.stderr).toContain('"1\\u001b[2J\\u0007"');
    expect(runs[0]!.stderr).toContain('k\\u001b]0;pwned\\u0007\\u009b\\u202e');
    expect(runs[4]!.stderr).toContain('--x\\u001b[2J');
  });
});

describe('12. validate --json always answers in JSON', () => {
  it('schema, syntax, read, size and font errors: {file, ok:false, diagnostics} on stdout, same exit code', () => {
    const bad = sample();
    bad.year = '2024';
    const cases: [string[], number, string][] = [
      [[write('json-schema.json', bad)], 2, 'SCHEMA'],
      [[write('json-syntax.json', '{"agency": }')], 2, 'JSON'],
      [[join(dir, 'json-missing.json')], 2, 'READ'],
      [['/dev/zero'], 2, 'TOO_LARGE'],
      [[join(ROOT, 'samples/yangshan-2024.json'), '--fonts', write('json-fonts.json', { body: 'missing.ttf' })], 2, 'FONT'],
      [[join(ROOT, 'samples/invalid/huaian-2024-r1.json')], 1, 'R1'],
    ];
    for (const [args, exit, code] of cases) {
      const r = runCli(['validate', '--json', ...args]);
      expect(r.code, r.stderr).toBe(exit);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ file: args[0], ok: false });
      expect(out.diagnostics.map((d: { code: string }) => d.code)).toContain(code);
      expect(out.diagnostics[0].message).toMatch(/[\u4e00-\u9fff]/u);
    }
  });
});

describe('13. --draft: written with rule errors and exit 1; never with a missing glyph', () => {
  const r1 = join(ROOT, 'samples/invalid/huaian-2024-r1.json');
  const emoji = join(ROOT, 'test/fixtures/bad/emoji.json');

  it('rule errors: the draft is written, 草稿已生成, exit 1; without --draft it suggests --draft', () => {
    const out = join(dir, 'draft-out');
    const d = runCli(['render', r1, '-o', out, '--draft', '--pdf']);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('草稿已生成');
    expect(d.stdout).toContain('（草稿）');
    expect(listing(out)).toEqual(['huaian-2024-r1.pdf']);
    const plain = runCli(['render', r1, '-o', join(dir, 'nodraft-out')]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('或用 --draft 生成草稿');
    expect(listing(join(dir, 'nodraft-out'))).toEqual([]);
  });

  it('a missing glyph: nothing written, with or without --draft, and --draft is not suggested', () => {
    for (const flags of [['--draft'], []]) {
      const out = join(dir, `glyph-out-${flags.length}`);
      const r = runCli(['render', emoji, '-o', out, ...flags]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('有字体中没有的字');
      expect(r.stderr).not.toContain('用 --draft');
      expect(r.stderr).not.toContain('草稿已生成');
      expect(listing(out)).toEqual([]);
    }
  });
});

describe('14. Chinese messages where there were English or unhelpful ones', () => {
  const report = join(ROOT, 'samples/yangshan-2024.json');

  it('--docx-fonts foo names the option, the value and the choices in Chinese', () => {
    const r = runCli(['render', report, '--docx-fonts', 'foo', '-o', join(dir, 'choice-out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('选项 --docx-fonts 的取值 "foo" 无效，可选：embed、official、none');
    expect(r.stderr).not.toMatch(/Allowed|invalid/);
  });

  it('a postscriptName that a collection or a single font does not have', () => {
    const serif = readFileSync(join(ROOT, 'fonts/XXGKSerif-Regular.ttf'));
    const ttc = write('serif.ttc', collectionOf(serif));
    const ps = 'XXGKSerif-Regular';
    refused(
      report,
      2,
      ['字体集', '中没有 PostScript 名称为 "Nope" 的字体；其中有：'],
      ['--fonts', write('ps-ttc.json', { body: { file: ttc, postscriptName: 'Nope' } })],
    );
    refused(report, 2, ['是字体集（.ttc），请用 postscriptName 指明'], ['--fonts', write('ps-none.json', { body: ttc })]);
    refused(
      report,
      2,
      ['是单个字体', '与配置中的 postscriptName "Nope" 不符'],
      ['--fonts', write('ps-ttf.json', { body: { file: join(ROOT, 'fonts/XXGKSerif-Regular.ttf'), postscriptName: 'Nope' } })],
    );
    // The right name works, for the collection and for the single font.
    const config = write('ps-ok.json', {
      body: { file: ttc, postscriptName: ps },
      table: { file: join(ROOT, 'fonts/XXGKSerif-Regular.ttf'), postscriptName: ps },
    });
    const out = join(dir, 'ttc-out');
    const fine = runCli(['render', report, '--fonts', config, '-o', out]);
    expect(fine.code, fine.stderr).toBe(0);
    expect(listing(out).sort()).toEqual(['yangshan-2024.docx', 'yangshan-2024.pdf']);
  });

  it('null, a 30-digit fee and batch dir -o dir say what is wrong', () => {
    const r = sample();
    r.agency = null;
    r.proactive.fees = '1'.repeat(30);
    const v = runCli(['validate', write('null-fee.json', r)]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('机关名称：应为文本，实际为空值 null');
    expect(v.stderr).toContain('整数部分最多 16 位、小数部分最多 12 位');
    const both = join(dir, 'in-and-out');
    mkdirSync(both);
    writeFileSync(join(both, 'r.json'), readFileSync(report));
    const b = runCli(['batch', both, '-o', both]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`输出文件夹 ${both} 本身不在查找范围内`);
  });
});

describe('15. the input is read as written, or refused', () => {
  const text = () => readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8');

  it('a key given twice is an error naming the path and both lines', () => {
    refused(write('dup-top.json', text().replace('"year"', '"agency": "另一个机关",\n  "year"')), 2, [
      '[DUPLICATE_KEY]',
      '机关名称：字段 "agency" 出现了两次',
      'JSON 只会保留后一个值',
    ]);
    const nested = text().replace(/"naturalPerson": (\d+)/, '"naturalPerson": $1, "naturalPerson": 0');
    refused(write('dup-nested.json', nested), 2, ['字段 "naturalPerson" 出现了两次', 'applications.received.naturalPerson']);
  });

  it('a fee written as a JSON number is printed as written', async () => {
    const file = write('fee-number.json', text().replace(/"fees": *"[^"]*"/, '"fees": 12.50'));
    const out = join(dir, 'fee-number-out');
    const r = runCli(['render', file, '-o', out, '--pdf']);
    expect(r.code, r.stderr).toBe(0);
    // The fee's row as printed: its label, then the amount on the same line (read back with pdf.js).
    expect((await pageTexts(join(out, 'fee-number.pdf'))).join('\n')).toMatch(/行政事业性收费 12\.50(?![\d.])/);
    refused(write('fee-exponent.json', text().replace(/"fees": *"[^"]*"/, '"fees": 1e3')), 2, ['收费金额应为非负十进制数', '"1e3"']);
  });

  it('a count or year written as 1e-400, 3.0 or 2.024e3 is refused, saying what it would become', () => {
    const t = text()
      .replace(/"licensing": *\d+/, '"licensing": 1e-400')
      .replace(/"punishment": *\d+/, '"punishment": 3.0')
      .replace(/"year": *2024/, '"year": 2.024e3');
    refused(write('count-tokens.json', t), 2, [
      '表二 行政许可',
      '实际写作 1e-400（会被读成 0）（proactive.licensing）',
      '实际写作 3.0（会被读成 3）',
      '报告年度：应为整数，写成不带小数点和指数的数字，实际写作 2.024e3',
    ]);
  });

  it('init refuses an agency its own validate would refuse, with the same messages', () => {
    for (const [agency, words] of [
      ['局'.repeat(101), '机关名称：过长：101 字，上限 100 字'],
      ['某\n局', '机关名称：含有控制字符 U+000A'],
      ['某局😀', '“😀”（U+1F600）在标题字体'],
    ] as const) {
      const r = runCli(['init', '--agency', agency, '--year', '2024']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(words);
    }
    const ok = runCli(['init', '--agency', '某某镇人民政府', '--year', '2024']);
    expect(ok.code).toBe(0);
    // Valid but for the text still to write (EMPTY_TEXT, exit 1): no schema error (exit 2).
    const v = runCli(['validate', write('from-init.json', ok.stdout)]);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).not.toMatch(/错误 \[(?!EMPTY_TEXT\])/);
  });
});
