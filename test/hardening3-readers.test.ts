/**
 * Hardening, third round (issue 27), classes 1, 2 and the sniffing of class 9: documents built to
 * make a reader spend time, memory or stack without bound. Each is refused by name, from the
 * outside: `xxgk import` exits 2 with a Chinese refusal in under 10 s and 1 GB (its peak resident
 * memory measured by the kernel), and `/api/import` answers 4xx and logs what it refused, the
 * server still answering afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hostile from './helpers/hostile.js';
import { CLI, ROOT } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-h3r-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each hostile document, its name, and the refusal code it must get. */
const CASES: [string, () => Uint8Array | string, string][] = [
  ['spans.html', () => hostile.htmlSpans(40, 40), 'TOO_COMPLEX'],
  ['nested.html', () => hostile.htmlNested(20_000), 'TOO_DEEP'],
  // Spans bounded by the table's real width: read (at once) as the small table it is, with gaps.
  ['gridspan.docx', () => hostile.docxSpans('gridSpan'), 'IMPORT_GAP'],
  ['gridbefore.docx', () => hostile.docxSpans('gridBefore'), 'IMPORT_GAP'],
  ['nested.docx', () => hostile.docxNested(5_000), 'TOO_DEEP'],
  ['ilvl-abc.docx', () => hostile.docxLevel('abc'), 'CORRUPT'],
  ['ilvl-max.docx', () => hostile.docxLevel('4294967295'), 'CORRUPT'],
  ['nested-q.pdf', () => hostile.pdfNestedQ(20_000), 'TOO_COMPLEX'],
  ['lines.pdf', () => hostile.pdfLines(2_000), 'TOO_COMPLEX'],
  ['image.pdf', () => hostile.pdfImage(30_000), 'SCAN'],
  ['pages.pdf', () => hostile.pdfPages(30_000), 'TOO_MANY_PAGES'],
  ['cycle.pdf', () => hostile.pdfCycle(), 'CORRUPT'],
];

const files = new Map<string, string>();
beforeAll(() => {
  for (const [name, make] of CASES) {
    const file = join(dir, name);
    writeFileSync(file, make());
    files.set(name, file);
  }
});

describe('xxgk import: every hostile document refused by name in ≤ 10 s and ≤ 1 GB, exit 2', () => {
  it.each(CASES.map(([name, , code]) => [name, code]))('%s → %s', { timeout: 30_000 }, (name, code) => {
    const t0 = performance.now();
    // GNU time reports the peak resident set of the process (all its threads) in KB.
    const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, CLI, 'import', files.get(name)!], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    const seconds = (performance.now() - t0) / 1000;
    const rssMb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]) / 1024;
    // A gap is exit 1 (nothing written); every refusal exit 2.
    expect(r.status, r.stderr).toBe(code === 'IMPORT_GAP' ? 1 : 2);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stderr).toMatch(/拒绝导入|无法导入|没有找到|找不到/u);
    expect(r.stderr).not.toMatch(/\n\s+at |Maximum call stack|Invalid array length|heap out of memory/u);
    expect(seconds).toBeLessThan(10);
    expect(rssMb).toBeLessThan(1024);
  });

  it('an HTML page that mentions %PDF- in its first kilobyte is read as HTML, not refused as a PDF', () => {
    const file = join(dir, 'mentions.html');
    writeFileSync(file, hostile.htmlMentioningPdf());
    const r = spawnSync(process.execPath, [CLI, 'import', file], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/不是PDF|PDF 文件已损坏/u);
    expect(r.stderr).toContain('[NO_TABLES]');
    expect(r.status).toBe(2);
  });
});

describe('/api/import: the same documents, 4xx, logged, and the server keeps answering', () => {
  let server: Served;
  beforeAll(async () => {
    server = await serve();
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('refuses each with 422 in ≤ 10 s, logs it, keeps its memory under 1 GB', { timeout: 180_000 }, async () => {
    for (const [name, , code] of CASES) {
      const t0 = performance.now();
      const res = await fetch(new URL(`/api/import?filename=${name}`, server.url), {
        method: 'POST',
        body: readFileSync(files.get(name)!),
        headers: { 'content-type': 'application/octet-stream' },
      });
      const seconds = (performance.now() - t0) / 1000;
      const body = await res.json();
      if (code === 'IMPORT_GAP') {
        // Read as the small table it is: the report with its gaps, for the clerk to fill in.
        expect(res.status, name).toBe(200);
        expect(body.gaps.length, name).toBeGreaterThan(0);
      } else {
        expect(res.status, name).toBe(422);
        expect(body.diagnostics[0].code, name).toBe(code);
      }
      expect(seconds, name).toBeLessThan(10);
      // The server still answers at once.
      expect((await fetch(new URL('/api/info', server.url))).status).toBe(200);
    }
    const status = readFileSync(`/proc/${server.proc.pid}/status`, 'utf8');
    const peakMb = Number(/VmHWM:\s+(\d+) kB/u.exec(status)?.[1]) / 1024;
    expect(peakMb).toBeLessThan(1024);
    for (const [name, , code] of CASES) if (code !== 'IMPORT_GAP') expect(server.output()).toContain(`拒绝导入 ${name}（422 ${code}`);
  });

  it('without a name, the content decides: HTML that mentions %PDF- is HTML', async () => {
    const res = await fetch(new URL('/api/import', server.url), { method: 'POST', body: Buffer.from(hostile.htmlMentioningPdf()) });
    expect(res.status).toBe(422);
    expect((await res.json()).diagnostics[0].code).toBe('NO_TABLES');
  });

  it('a sample report still imports through the pool', async () => {
    const res = await fetch(new URL('/api/import?filename=a.json', server.url), {
      method: 'POST',
      body: readFileSync(join(ROOT, 'samples/huaian-2024.json')),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).report.agency).toBe('淮安市人民政府');
  });
});

describe('class 9: import --partial writes 0 for a cell it could not read, and lists the gap once', () => {
  it('a count beyond the limit and a cell that is not a number', () => {
    const html = readFileSync(join(ROOT, 'test/fixtures/import/template-filled.html'), 'utf8');
    const numbers = [...html.matchAll(/>(\d+)</gu)];
    // The sixth number becomes 99999999999999999999, the tenth "abc".
    let doc = `${html.slice(0, numbers[5]!.index)}>99999999999999999999<${html.slice(numbers[5]!.index! + numbers[5]![0].length)}`;
    const again = [...doc.matchAll(/>(\d+)</gu)];
    doc = `${doc.slice(0, again[9]!.index)}>abc<${doc.slice(again[9]!.index! + again[9]![0].length)}`;
    const file = join(dir, 'partial.html');
    writeFileSync(file, doc);
    const out = join(dir, 'partial.json');
    const r = spawnSync(process.execPath, [CLI, 'import', file, '--partial', '-o', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/100000000000000000000|99999999999999999999|null/u);
    const gaps = r.stderr.split('\n').filter((l) => l.includes('[IMPORT_GAP]'));
    expect(gaps).toHaveLength(2);
    expect(new Set(gaps).size).toBe(2);
    expect(r.stderr).toContain('“abc”');
    // The document's digits, not the double they read as.
    expect(r.stderr).toContain('数值 99999999999999999999 超过上限');
    expect(r.stderr).toContain('不完整：2 处缺项');
    for (const g of gaps) {
      const path = /（([a-zA-Z.]+)）$/u.exec(g)?.[1];
      expect(path, g).toBeTruthy();
      expect(
        path!.split('.').reduce((o: any, k) => o[k], JSON.parse(text)),
        g,
      ).toBe(0);
    }
  });
});

describe('class 9: a value beyond 2^53 is reported once, with its own digits', () => {
  it.each(['99999999999999999999', '9007199254740993'])('%s', (digits) => {
    const text = readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8').replace(/("inForce":\s*)\d+/u, `$1${digits}`);
    const file = join(dir, `big-${digits}.json`);
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.includes(`数值 ${digits} `));
    expect(lines).toHaveLength(1);
  });
});
