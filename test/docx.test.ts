import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { writeDocx } from '../src/docx/index.js';
import { setCoreDates, setFontKeys, setParagraphDefaults } from '../src/docx/package.js';
import { resolveGrid } from '../src/form/index.js';
import { readReportFile } from '../src/app/files.js';
import { parseReportValue as parseReport } from '../src/model/load.js';
import { getPath } from '../src/model/paths.js';
import { resolve } from '../src/model/resolve.js';
import { prepare, renderDocx, renderPdf } from '../src/app/render.js';
import { docxParts, wordTables } from './helpers/docx.js';
import { info } from './helpers/pdf.js';
import { blank, readJson, ROOT } from './helpers/reports.js';
import { requireTool } from './helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-docx-'));
const samples = ['huaian-2024', 'yangshan-2024', 'qingjiang-bureau-2024', 'jiangsu-long-2024', 'huaian-2023'];
const load = (s: string) => readReportFile(`${ROOT}samples/${s}.json`);

const docs: Record<string, { bytes: Uint8Array; parts: Record<string, string> }> = {};
beforeAll(async () => {
  for (const s of samples) {
    const { ir, fonts } = prepare(load(s));
    const bytes = await writeDocx(ir, fonts);
    docs[s] = { bytes, parts: docxParts(bytes) };
  }
});

/**
 * A table's cells as the official form and the report say: the form's grid (spans, labels) with
 * each data cell holding the report's number as the JSON gives it (totals the JSON leaves out are
 * the model's sums).
 */
function expectedCells(sample: string, table: 'table2' | 'table3' | 'table4') {
  const raw = readJson(`samples/${sample}.json`);
  const resolved = resolve(load(sample), gov2021.defaultTitle);
  return resolveGrid(gov2021.tables[table]!).cells.map((g) => {
    const value = g.bind ? (getPath(raw, g.bind) ?? getPath(resolved, g.bind)) : undefined;
    return { r: g.r, c: g.c, rs: g.rs, cs: g.cs, text: g.bind ? String(value) : g.text! };
  });
}

describe('DOCX: the official grids as Word tables', () => {
  it.each(samples)('%s: each table equals the official grid, cell for cell, numbers in their cells', (s) => {
    const { parts } = docs[s]!;
    const word = wordTables(parts['word/document.xml']!);
    expect(word).toHaveLength(3);
    (['table2', 'table3', 'table4'] as const).forEach((name, i) => {
      expect(word[i]!.columns).toHaveLength(resolveGrid(gov2021.tables[name]!).cols);
      expect(word[i]!.cells).toEqual(expectedCells(s, name));
    });
  });

  it('uses fixed layout, explicit widths, repeating header rows and rows that cannot split', () => {
    const xml = docs['huaian-2024']!.parts['word/document.xml']!;
    const tbls = [...xml.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)].map((m) => m[1]!);
    for (const t of tbls) {
      expect(t).toContain('<w:tblLayout w:type="fixed"/>');
      expect(t).toMatch(/<w:tblW w:type="dxa" w:w="88\d\d"\/>/);
      const rows = [...t.matchAll(/<w:tr>(.*?)<\/w:tr>/gs)].map((m) => m[1]!);
      for (const r of rows) expect(r).toContain('<w:cantSplit/>');
      expect(t).toContain('<w:vAlign w:val="center"/>');
    }
    const t3rows = [...tbls[1]!.matchAll(/<w:tr>(.*?)<\/w:tr>/gs)].map((m) => m[1]!);
    expect(
      t3rows
        .slice(0, 3)
        .every((r) => r.includes('<w:tblHeader/>') || r.includes('<w:tblHeader w:val="on"/>') || r.includes('<w:tblHeader w:val="true"/>')),
    ).toBe(true);
    expect(t3rows[3]).not.toMatch(/<w:tblHeader(?: w:val="(?:on|true|1)")?\/>/);
  });

  it.each(samples)(
    '%s: a table kept on one page keeps each row with the next through its cells’ style; cells are centred by the style',
    (s) => {
      const { parts } = docs[s]!;
      const styles = parts['word/styles.xml']!;
      const style = (id: string) =>
        new RegExp(`<w:style w:type="paragraph" w:styleId="${id}"[^>]*>(.*?)</w:style>`, 's').exec(styles)?.[1] ?? '';
      expect(style('TableText')).toContain('<w:jc w:val="center"/>');
      expect(style('TableTextKeep')).toContain('<w:basedOn w:val="TableText"/>');
      expect(style('TableTextKeep')).toContain('<w:keepNext/>');
      const { ir } = prepare(load(s));
      const kept: boolean[] = [];
      const walk = (blocks: typeof ir.blocks, inGroup: boolean) => {
        for (const b of blocks) {
          if (b.type === 'group') walk(b.blocks, true);
          else if (b.type === 'table') kept.push(inGroup);
        }
      };
      walk(ir.blocks, false);
      const tbls = [...parts['word/document.xml']!.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)].map((m) => m[1]!);
      expect(tbls).toHaveLength(kept.length);
      tbls.forEach((t, i) => {
        const rows = [...t.matchAll(/<w:tr>(.*?)<\/w:tr>/gs)].map((m) => m[1]!);
        rows.forEach((row, r) => {
          const cellStyles = [...row.matchAll(/<w:pStyle w:val="([^"]+)"\/>/g)].map((m) => m[1]);
          expect(cellStyles.length).toBeGreaterThan(0);
          const keep = kept[i] && r < rows.length - 1;
          expect(new Set(cellStyles), `table ${i + 1} row ${r + 1}`).toEqual(new Set([keep ? 'TableTextKeep' : 'TableText']));
        });
        // Nothing set on a cell's paragraph that its style already says.
        expect(t).not.toContain('<w:jc w:val="center"/>');
        expect(t).not.toContain('<w:keepNext');
      });
    },
  );
});

describe('DOCX: page, styles, fonts', () => {
  it('is A4 with the GB/T 9704 margins and odd/even — PAGE — footers', () => {
    const { parts } = docs['huaian-2024']!;
    const doc = parts['word/document.xml']!;
    expect(doc).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(doc).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(doc).toContain('<w:footerReference w:type="default"');
    expect(doc).toContain('<w:footerReference w:type="even"');
    expect(parts['word/settings.xml']).toContain('<w:evenAndOddHeaders');
    const footers = Object.entries(parts)
      .filter(([n]) => /^word\/footer\d+\.xml$/.test(n))
      .map(([, x]) => x);
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toMatch(/— <\/w:t>.*PAGE.*<w:t xml:space="preserve"> —/s);
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);
  });

  it('has named styles with outline levels and East Asian font slots', () => {
    const styles = docs['huaian-2024']!.parts['word/styles.xml']!;
    const style = (id: string) =>
      new RegExp(`<w:style w:type="paragraph" w:styleId="${id}"[^>]*>(.*?)</w:style>`, 's').exec(styles)?.[1] ?? '';
    expect(style('Heading1')).toContain('<w:outlineLvl w:val="0"/>');
    expect(style('Heading1')).toContain('w:eastAsia="XXGK Sans"');
    expect(style('Heading2')).toContain('<w:outlineLvl w:val="1"/>');
    expect(style('Heading2')).toContain('w:eastAsia="XXGK WenKai"');
    expect(style('Title')).toContain('w:eastAsia="XXGK Title"');
    expect(style('Title')).toContain('<w:sz w:val="44"/>');
    for (const id of ['Normal', 'Heading1', 'Heading2', 'Title']) expect(style(id)).toContain('w:hint="eastAsia"');
    expect(style('Normal')).toContain('<w:sz w:val="32"/>');
    expect(style('Normal')).toContain('w:line="579" w:lineRule="exact"');
    expect(style('TableText')).toContain('<w:sz w:val="21"/>');
    const theme = Object.entries(docs['huaian-2024']!.parts).find(([n]) => n.startsWith('word/theme/'))![1];
    expect(theme).toContain('<a:latin typeface="XXGK Serif"');
    expect(theme).toContain('<a:ea typeface="XXGK Serif"');
  });

  it('embeds TrueType subsets of the four faces, under 2 MB for a typical report', () => {
    const { bytes, parts } = docs['huaian-2024']!;
    const table = parts['word/fontTable.xml']!;
    for (const name of ['XXGK Title', 'XXGK Serif', 'XXGK Sans', 'XXGK WenKai'])
      expect(table).toMatch(
        new RegExp(`<w:font w:name="${name}">.*?<w:embedRegular r:id="rId\\d+" w:fontKey="\\{[0-9A-F-]{36}\\}"/>`, 's'),
      );
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    expect(docs['jiangsu-long-2024']!.bytes.length).toBeLessThan(2 * 1024 * 1024);
  });

  it('--docx-fonts official names the official fonts and embeds nothing', async () => {
    const bytes = await renderDocx(load('huaian-2024'), { docxFonts: 'official' });
    const parts = docxParts(bytes);
    const styles = parts['word/styles.xml']!;
    for (const name of ['方正小标宋简体', '仿宋_GB2312', '黑体', '楷体_GB2312']) expect(styles).toContain(`w:eastAsia="${name}"`);
    expect(Object.keys(parts).some((n) => n.startsWith('word/fonts/'))).toBe(false);
    expect(parts['word/fontTable.xml']).not.toContain('embedRegular');
  });

  it('gives the same bytes for the same report', async () => {
    const a = await renderDocx(load('qingjiang-bureau-2024'));
    const b = await renderDocx(load('qingjiang-bureau-2024'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(docxParts(a)['docProps/core.xml']).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-14T16:00:00Z</dcterms:created>',
    );
  });
});

const soffice = requireTool('soffice', 'libreoffice-writer-nogui', 'LibreOffice');
// The line-by-line comparison reads both PDFs with poppler's pdftotext -layout, one reader for both producers.
const pdftotext = requireTool('pdftotext', 'poppler-utils', 'poppler-utils');

describe.skipIf(!soffice || !pdftotext)('DOCX opened in LibreOffice', () => {
  // Each conversion gets a fresh profile: LibreOffice keeps embedded fonts by name across documents.
  const convert = (file: string, name: string) => {
    const out = join(dir, `lo-${name}`);
    mkdirSync(out, { recursive: true });
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${join(dir, `profile-${name}`)}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file],
      {
        stdio: 'ignore',
        timeout: 120_000,
      },
    );
    return join(out, readdirSync(out).find((f) => f.endsWith('.pdf'))!);
  };

  /** Each page's lines, whitespace removed (pdftotext -layout). */
  const lines = (pdf: string) =>
    execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 })
      .split('\f')
      .map((p) =>
        p
          .split('\n')
          .map((l) => l.replace(/\s+/g, ''))
          .filter(Boolean),
      );

  // A report whose paragraphs mix Han with URLs, Latin words, numbers and kerning pairs.
  const MIXED =
    '本机关门户网站https://www.example.gov.cn/xxgk/2024/report.html已全面改版，Open Data 平台 API v2.1 已上线，' +
    '公开文件均提供PDF/A格式下载，12345 热线和政务服务APP同步推送政策解读，全年累计访问量1234567人次，较上年增长23.5%，AVATAR To WAVE。';
  const mixed = () => {
    const b = blank();
    b.problems = [MIXED, MIXED.slice(7) + MIXED.slice(0, 7), `公开${MIXED}`, `2024年，${MIXED}`];
    const r = parseReport(b);
    if (!r.ok) throw new Error('bad mixed report');
    return r.report;
  };

  it.each([...samples, 'mixed'])('%s: LibreOffice sets the DOCX on as many pages as our PDF, with the same lines on each', async (s) => {
    const report = s === 'mixed' ? mixed() : load(s);
    const docx = join(dir, `${s}.docx`);
    writeFileSync(docx, s === 'mixed' ? await renderDocx(report) : docs[s]!.bytes);
    const pdf = join(dir, `${s}.pdf`);
    writeFileSync(pdf, await renderPdf(report));
    const office = convert(docx, s);
    expect(Number((await info(office)).Pages)).toBe(Number((await info(pdf)).Pages));
    // Line for line (page numbers included): LibreOffice breaks lines and pages where we did —
    // e.g. huaian-2024 page 1 keeps `至2024年` / `12月31日止。` (LibreOffice's own Han–Latin spacing
    // used to push `年` down).
    expect(lines(office)).toEqual(lines(pdf));
  });
});

describe('DOCX: the one post-processing step, on parsed XML', () => {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  it('sets default paragraph properties in schema order, keeping what is there', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ${W}><w:docDefaults><w:pPrDefault><w:pPr><w:keepNext/><w:autoSpaceDN w:val="1"/><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId="Normal"/></w:styles>`;
    const out = setParagraphDefaults(xml, ['snapToGrid', 'widowControl', 'autoSpaceDE', 'autoSpaceDN']);
    expect(out).toContain(
      '<w:pPr><w:keepNext/><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:after="0"/></w:pPr>',
    );
    expect(out).toContain('<w:style w:styleId="Normal"/>');
    expect(out.startsWith('<?xml')).toBe(true);
  });

  it('creates w:docDefaults when the styles have none', () => {
    const out = setParagraphDefaults(`<w:styles ${W}><w:style w:styleId="Normal"/></w:styles>`, ['overflowPunct']);
    expect(out).toContain('<w:docDefaults><w:pPrDefault><w:pPr><w:overflowPunct w:val="0"/></w:pPr></w:pPrDefault></w:docDefaults>');
  });

  it('dates the core properties and keys the embedded fonts', () => {
    const core = setCoreDates(
      '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:created>2020-01-01T00:00:00Z</dcterms:created><dcterms:modified>x</dcterms:modified></cp:coreProperties>',
      '2025-01-14T16:00:00Z',
    );
    expect(core).toContain(
      '<dcterms:created>2025-01-14T16:00:00Z</dcterms:created><dcterms:modified>2025-01-14T16:00:00Z</dcterms:modified>',
    );
    const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const table = setFontKeys(
      `<w:fonts ${W} ${R}><w:font w:name="A"><w:embedRegular r:id="rId2" w:fontKey="{RANDOM}"/></w:font></w:fonts>`,
      (rid) => `KEY-${rid}`,
    );
    expect(table).toContain('<w:embedRegular r:id="rId2" w:fontKey="{KEY-rId2}"/>');
  });
});
