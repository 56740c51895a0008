/**
 * The DOCX opened in a real office suite (LibreOffice), as a clerk would open it, and edited as a
 * clerk would edit it: LibreOffice sets the lines and pages. Each document is converted once (one
 * LibreOffice run for all of them) and every check reads the result with poppler's pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { readReportFile } from '../src/app/files.js';
import { renderDocx, renderPdf } from '../src/app/render.js';
import { docxParts, paragraphText, wordTables } from './helpers/docx.js';
import { blank, parsed, ROOT } from './helpers/reports.js';
import { requireTool } from './helpers/tools.js';

const soffice = requireTool('soffice', 'libreoffice-writer-nogui', 'LibreOffice');
const pdftotext = requireTool('pdftotext', 'poppler-utils', 'poppler-utils');

/** Every sample in samples/. */
const samples = readdirSync(`${ROOT}samples`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));
const edited = ['huaian-2024', 'jiangsu-long-2024'];
/** A report whose paragraphs mix Han with URLs, Latin words and numbers: where lines break differently. */
const MIXED =
  '本机关门户网站https://www.example.gov.cn/xxgk/2024/report.html已全面改版，Open Data 平台 API v2.1 已上线，' +
  '公开文件均提供PDF/A格式下载，12345 热线和政务服务APP同步推送政策解读，全年累计访问量1234567人次，较上年增长23.5%，AVATAR To WAVE。';
const mixed = () => {
  const b = blank();
  b.problems = [MIXED, MIXED.slice(7) + MIXED.slice(0, 7), `公开${MIXED}`, `2024年，${MIXED}`];
  return parsed(b);
};
const load = (s: string) => (s === 'mixed' ? mixed() : readReportFile(`${ROOT}samples/${s}.json`));

interface Box {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A line: its words left to right (poppler cuts words at spaces and at wider gaps). */
interface Line extends Box {
  words: Box[];
}

/**
 * Each page's text lines with their boxes, top to bottom: poppler's words (pdftotext -bbox) on one
 * baseline joined left to right. (Its own line grouping, -bbox-layout, cuts a line with wide gaps
 * into several: exactly the lines that must be found.)
 */
function pageLines(pdf: string): Line[][] {
  const xml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return xml
    .split(/<page /)
    .slice(1)
    .map((page) => {
      const words = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! }))
        .sort((a, b) => a.yMax - b.yMax || a.xMin - b.xMin);
      const lines: Line[] = [];
      for (const w of words) {
        const line = lines.find((l) => Math.abs(l.yMax - w.yMax) < 2);
        if (line) line.words.push(w);
        else lines.push({ ...w, words: [w] });
      }
      for (const l of lines) {
        l.words.sort((a, b) => a.xMin - b.xMin);
        l.text = l.words.map((w) => w.text).join('');
        l.xMin = l.words[0]!.xMin;
        l.xMax = Math.max(...l.words.map((w) => w.xMax));
        l.yMin = Math.min(...l.words.map((w) => w.yMin));
      }
      return lines.sort((a, b) => a.yMin - b.yMin);
    });
}

/** The page's text block as the DOCX declares it (pt), and the body's font size. */
function geometry(docx: Uint8Array) {
  const parts = docxParts(docx);
  const doc = parts['word/document.xml']!;
  const attr = (el: string, name: string) => Number(new RegExp(`<w:${el} [^>]*w:${name}="(\\d+)"`).exec(doc)![1]) / 20;
  const left = attr('pgMar', 'left');
  const top = attr('pgMar', 'top');
  const styles = parts['word/styles.xml']!;
  const size = Number(/<w:style w:type="paragraph" w:styleId="Normal"[^>]*>.*?<w:sz w:val="(\d+)"\/>/s.exec(styles)![1]) / 2;
  return {
    left,
    right: attr('pgSz', 'w') - attr('pgMar', 'right'),
    top,
    bottom: attr('pgSz', 'h') - attr('pgMar', 'bottom'),
    size,
  };
}

type Geometry = ReturnType<typeof geometry>;

/** A line of body text: set at the body's size (poppler's box is about 1.3 em tall). */
const isBody = (l: Line, g: Geometry) => Math.abs(l.yMax - l.yMin - 1.3 * g.size) < 1.5;
/** Lines inside the text block (not the page number below it). */
const inBlock = (page: Line[], g: Geometry) => page.filter((l) => l.yMin < g.bottom);
/** A line that runs to the right margin: a justified line that is not its paragraph's last. */
const full = (l: Line, g: Geometry) => l.xMax >= g.right - g.size;
/** A line starting at the left margin: neither a paragraph's indented first line nor centred or set right. */
const unindented = (l: Line, g: Geometry) => l.xMin < g.left + g.size / 2;

// A clerk's edits, made in word/document.xml as any editor saves them.
const INSERTED = '经统计，';
const ADDED =
  '本机关将继续加强政府信息公开工作，全面提升政务公开的质量和实效，更好地保障人民群众的知情权、参与权、表达权和监督权，为经济社会高质量发展提供有力支撑。';
const BODY_P = /<w:p><w:pPr><w:pStyle w:val="Normal"\/><\/w:pPr><w:r><w:t xml:space="preserve">([^<]*)<\/w:t><\/w:r><\/w:p>/g;

interface Edit {
  bytes: Uint8Array;
  /** The paragraph that got INSERTED at its start, as it reads now. */
  insertedInto: string;
  deletedSentence: string;
  deletedParagraph: string;
}

/**
 * Four edits in the body's longer paragraphs: insert four characters at the start of the first,
 * delete the first sentence of the second, delete the third, add a paragraph after the fourth.
 */
function editDocx(bytes: Uint8Array): Edit {
  const files = unzipSync(bytes);
  let xml = strFromU8(files['word/document.xml']!);
  const long = [...xml.matchAll(BODY_P)].filter((m) => m[1]!.length > 60 && m[1]!.indexOf('。') < m[1]!.length - 1);
  if (long.length < 4) throw new Error('sample has fewer than four long paragraphs');
  const [a, b, c, d] = long.map((m) => ({ xml: m[0], text: m[1]! }));
  const para = (text: string) => `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
  const deletedSentence = b!.text.slice(0, b!.text.indexOf('。') + 1);
  xml = xml
    .replace(a!.xml, para(INSERTED + a!.text))
    .replace(b!.xml, para(b!.text.slice(deletedSentence.length)))
    .replace(c!.xml, '')
    .replace(d!.xml, d!.xml + para(ADDED));
  files['word/document.xml'] = strToU8(xml);
  return { bytes: zipSync(files), insertedInto: INSERTED + a!.text, deletedSentence, deletedParagraph: c!.text };
}

const flat = (s: string) => s.replace(/\s+/g, '');
/** Letters, digits and Han characters only. */
const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');
/** The text of every paragraph of the DOCX (tables' included), as written. */
const wordParagraphs = (docx: Uint8Array) =>
  [...docxParts(docx)['word/document.xml']!.matchAll(/<w:p(?: [^>]*)?>.*?<\/w:p>/gs)].map((m) => paragraphText(m[0]));

/** Han characters and full-width punctuation: set on the character grid, one em each. */
const HAN = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d]/u;

/**
 * Full lines of body text (justified, not a paragraph's last) where two neighbouring Han
 * characters stand more than 1.25 em apart, start to start: a line stretched because what
 * followed could not be broken to fill it. Within a word poppler keeps characters that are close;
 * between two words the pitch is from the start of the left word's last character (one em wide)
 * to the start of the right word.
 */
function stretchedLines(pages: Line[][], g: Geometry): string[] {
  return pages.flatMap((page, i) =>
    inBlock(page, g)
      .filter((l) => isBody(l, g) && full(l, g))
      .filter((l) =>
        l.words.some((w, k) => {
          const next = l.words[k + 1];
          const a = [...w.text].at(-1)!;
          const pitch = next ? next.xMin - (w.xMax - g.size) : 0;
          const within = [...w.text].length > 1 && HAN.test(w.text) ? (w.xMax - w.xMin) / [...w.text].length : 0;
          return (next && HAN.test(a) && HAN.test([...next.text][0]!) && pitch > 1.25 * g.size) || within > 1.25 * g.size;
        }),
      )
      .map((l) => `page ${i + 1}: ${l.words.map((w) => w.text).join(' ')}`),
  );
}

describe.skipIf(!soffice || !pdftotext)('DOCX opened and edited in LibreOffice', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-office-'));
  const docs: Record<string, { docx: Uint8Array; office: Line[][]; officeText: string; pdf?: Line[][] }> = {};
  const edits: Record<string, Edit> = {};

  beforeAll(async () => {
    const files: string[] = [];
    const put = (name: string, bytes: Uint8Array) => {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      return file;
    };
    for (const s of [...samples, 'mixed']) {
      const report = load(s);
      const docx = await renderDocx(report);
      files.push(put(`${s}.docx`, docx));
      put(`${s}.pdf`, await renderPdf(report));
      if (edited.includes(s)) {
        edits[s] = editDocx(docx);
        files.push(put(`${s}-edited.docx`, edits[s]!.bytes));
      }
    }
    // One LibreOffice run for every document, with its own profile (no clash with another run;
    // LibreOffice keeps embedded fonts by name across the documents of one run, and ours are the same).
    const out = join(dir, 'office');
    mkdirSync(out);
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...files],
      { stdio: 'ignore', timeout: 600_000 },
    );
    for (const f of files) {
      const name = f.slice(dir.length + 1, -'.docx'.length);
      const office = join(out, `${name}.pdf`);
      docs[name] = {
        docx: readFileSync(f),
        office: pageLines(office),
        officeText: flat(execFileSync('pdftotext', ['-layout', office, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 })),
        ...(edited.some((e) => name === `${e}-edited`) ? {} : { pdf: pageLines(join(dir, `${name}.pdf`)) }),
      };
    }
  }, 900_000);

  const all = [...samples, 'mixed', ...edited.map((s) => `${s}-edited`)];

  it.each([...samples, 'mixed'])('%s: LibreOffice sets the DOCX on as many pages as our PDF, give or take one', (s) => {
    const { office, pdf } = docs[s]!;
    expect(Math.abs(office.length - pdf!.length), `LibreOffice ${office.length}, PDF ${pdf!.length}`).toBeLessThanOrEqual(1);
    if (s === 'jiangsu-long-2024') expect(pdf!.length).toBe(13);
  });

  it('the long report is among them: samples/jiangsu-long-2024.json', () => expect(samples).toContain('jiangsu-long-2024'));

  const tableHeadings = gov2021.parts.filter((p) => p.table).map((p) => p.heading);
  const pageOf = (pages: Line[][], text: string) => pages.findIndex((p) => p.some((l) => flat(l.text) === text)) + 1;

  it.each(samples)('%s: each table starts on the PDF’s page, or one page off where one of the two moved it whole to a fresh page', (s) => {
    const { office, pdf, docx } = docs[s]!;
    const g = geometry(docx);
    const opens = (pages: Line[][], n: number, heading: string) => flat(inBlock(pages[n - 1]!, g)[0]!.text) === heading;
    for (const heading of tableHeadings) {
      const lo = pageOf(office, heading);
      const ours = pageOf(pdf!, heading);
      expect(lo, heading).toBeGreaterThan(0);
      // The heading keeps with its table: lines follow it on its page.
      const page = inBlock(office[lo - 1]!, g);
      expect(
        page.findIndex((l) => flat(l.text) === heading),
        heading,
      ).toBeLessThan(page.length - 1);
      if (lo === ours) continue;
      // LibreOffice 7.4 splits a table that the PDF keeps whole by starting a page (it ignores
      // keep-with-next inside tables, and the DOCX forces no page break), and sets text with Han
      // and Latin or digits a little wider (it ignores w:autoSpaceDE/DN): a table may start a
      // page earlier where the PDF moved it to a fresh page, or a page later where LibreOffice did.
      const moved = lo === ours - 1 ? opens(pdf!, ours, heading) : lo === ours + 1 && opens(office, lo, heading);
      expect(moved, `${heading}: LibreOffice page ${lo}, PDF page ${ours}`).toBe(true);
    }
  });

  it.each(all.filter((s) => s !== 'mixed'))(
    '%s: no stretched line: in every full line of body text, Han characters at most 1.25 em apart',
    (s) => {
      const { office, docx } = docs[s]!;
      expect(stretchedLines(office, geometry(docx))).toEqual([]);
    },
  );

  it('mixed: a line is stretched only where the next begins with a Latin word, URL or number that could not be broken to fill it', () => {
    // Word and LibreOffice alike: justified text ahead of an unbreakable run (`23.5%，`, a URL)
    // that does not fit takes up the room in its Han characters' spacing.
    const { office, docx } = docs.mixed!;
    const g = geometry(docx);
    const lines = office.flatMap((p) => inBlock(p, g));
    const stretched = stretchedLines(office, g);
    expect(stretched.length).toBeGreaterThan(0);
    for (const entry of stretched) {
      const text = entry.replace(/^page \d+: /, '').replace(/ /g, '');
      const k = lines.findIndex((l) => l.text === text);
      expect(lines[k + 1]?.text ?? '', entry).toMatch(/^[A-Za-z0-9]/);
    }
  });

  it.each(all)('%s: no Latin word or number is broken across two lines', (s) => {
    const { office, docx } = docs[s]!;
    const g = geometry(docx);
    const source = wordParagraphs(docx);
    const broken = office.flatMap((page, i) =>
      inBlock(page, g).flatMap((l, k, lines) => {
        const next = lines[k + 1];
        // The next line of the same paragraph: body text, at the margin, one line pitch below.
        if (!next || !isBody(l, g) || !isBody(next, g) || !unindented(next, g) || next.yMin - l.yMin > 2.5 * g.size) return [];
        const a = /[A-Za-z0-9]+$/.exec(l.text)?.[0];
        const b = /^[A-Za-z0-9]+/.exec(next.text)?.[0];
        // Broken where the source has the two pieces as one word (not where it has a space between).
        return a && b && source.some((p) => p.includes(a + b)) ? [`page ${i + 1}: ${l.text} / ${next.text}`] : [];
      }),
    );
    expect(broken).toEqual([]);
  });

  it.each(all)('%s: no page begins with a paragraph fragment, and no page is empty', (s) => {
    const { office, docx } = docs[s]!;
    const g = geometry(docx);
    const pages = office.map((p) => inBlock(p, g));
    pages.forEach((page, i) => expect(page.length, `page ${i + 1} is empty`).toBeGreaterThan(0));
    // A page may open with a line that continues a paragraph (at the margin, not indented) only
    // when the page before ends with a line of the same paragraph: a paragraph that really spans
    // the break, read in one Word paragraph (punctuation aside: a comma may hang in the margin).
    // And the two lines must be read in one Word paragraph: not a paragraph cut in two at the page.
    const paragraphs = wordParagraphs(docx).map(letters);
    const fragments = pages.slice(1).flatMap((page, k) => {
      const first = page[0]!;
      const before = pages[k]!.at(-1)!;
      if (!isBody(first, g) || !unindented(first, g)) return [];
      const spans = isBody(before, g) && paragraphs.some((p) => p.includes(letters(before.text) + letters(first.text)));
      return spans ? [] : [`page ${k + 2} opens with “${first.text}” after “${before.text}”`];
    });
    expect(fragments).toEqual([]);
  });

  it.each(all)('%s: the tables are intact: every number and every label', (s) => {
    const { docx, officeText } = docs[s]!;
    const tables = wordTables(docxParts(docx)['word/document.xml']!);
    expect(tables).toHaveLength(3);
    const count = (text: string, ch: string) => text.split(ch).length - 1;
    const numbers = new Map<string, number>();
    const labelChars = new Map<string, number>();
    for (const t of tables)
      for (const c of t.cells) {
        if (/^[\d.]+$/.test(c.text)) numbers.set(c.text, (numbers.get(c.text) ?? 0) + 1);
        else for (const ch of flat(c.text)) labelChars.set(ch, (labelChars.get(ch) ?? 0) + 1);
      }
    // Every number as often as the tables hold it (prose may add more), read as whole tokens.
    const tokens = execFileSync('pdftotext', ['-layout', join(dir, 'office', `${s}.pdf`), '-'], { encoding: 'utf8' })
      .split(/[^\d.]+/)
      .filter(Boolean);
    for (const [n, times] of numbers) expect(tokens.filter((t) => t === n).length, `number ${n}`).toBeGreaterThanOrEqual(times);
    for (const [ch, times] of labelChars) expect(count(officeText, ch), `character ${ch}`).toBeGreaterThanOrEqual(times);
  });

  it.each(edited)('%s: the edits are in the text LibreOffice sets', (s) => {
    const e = edits[s]!;
    const text = docs[`${s}-edited`]!.officeText;
    const before = docs[s]!.officeText;
    expect(text).toContain(flat(e.insertedInto).slice(0, 40));
    expect(text).toContain(flat(ADDED));
    const occurrences = (t: string, x: string) => t.split(flat(x)).length - 1;
    expect(occurrences(text, e.deletedSentence)).toBe(occurrences(before, e.deletedSentence) - 1);
    expect(occurrences(text, e.deletedParagraph.slice(0, 30))).toBe(occurrences(before, e.deletedParagraph.slice(0, 30)) - 1);
  });
});
