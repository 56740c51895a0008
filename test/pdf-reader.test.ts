/**
 * The tests read our PDFs with pdfjs-dist (test/helpers/pdf.ts) and expect poppler's answers. Where
 * poppler-utils is installed (CI installs it), check that the two agree on a rendered sample.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReportFile } from '../src/app/files.js';
import { renderPdf } from '../src/app/render.js';
import { fonts, info, streamText, words, type Word } from './helpers/pdf.js';
import { ROOT } from './helpers/reports.js';
import { requireTool } from './helpers/tools.js';

const poppler = requireTool('pdftotext', 'poppler-utils', "poppler's pdftotext");
const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

function popplerWords(file: string): Word[] {
  const out: Word[] = [];
  let page = 0;
  for (const line of run('pdftotext', ['-bbox', file, '-']).split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) out.push({ page, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]!, text: unescapeXml(m[5]!) });
  }
  return out;
}

describe.skipIf(!poppler)('the test PDF reader agrees with poppler', () => {
  let file: string;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'xxgk-reader-')), 'jiangsu-long-2024.pdf');
    writeFileSync(file, await renderPdf(readReportFile(`${ROOT}samples/jiangsu-long-2024.json`)));
  });

  it('finds the words pdftotext -bbox finds, in the same boxes', async () => {
    const ours = await words(file);
    const theirs = popplerWords(file);
    expect(ours.length).toBe(theirs.length);
    // Pair each word with poppler's nearest word of the same text on the same page.
    const far: string[] = [];
    for (const w of ours) {
      const same = theirs.filter((t) => t.page === w.page && t.text === w.text);
      const d = Math.min(
        ...same.map((t) =>
          Math.max(Math.abs(t.xMin - w.xMin), Math.abs(t.xMax - w.xMax), Math.abs(t.yMin - w.yMin), Math.abs(t.yMax - w.yMax)),
        ),
      );
      if (!(d < 0.01)) far.push(`p${w.page} "${w.text}" ${d}`);
    }
    expect(far).toEqual([]);
  });

  it('reads the text in content order as pdftotext -raw does', async () => {
    expect(await streamText(file)).toBe(run('pdftotext', ['-raw', file, '-']).replace(/\s+/g, ''));
  });

  it('gives the page count and size pdfinfo gives, and the fonts pdffonts lists', async () => {
    const pdfinfo = Object.fromEntries(
      run('pdfinfo', [file])
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const ours = await info(file);
    for (const key of ['Pages', 'Page size', 'Title', 'Author', 'Subject', 'Keywords']) expect(ours[key], key).toBe(pdfinfo[key]);
    const pdffonts = run('pdffonts', [file])
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((l) => {
        const cols = l.trim().split(/\s+/);
        return { name: cols[0]!, emb: cols.at(-5)!, sub: cols.at(-4)! };
      });
    expect(await fonts(file)).toEqual(pdffonts);
  });
});
