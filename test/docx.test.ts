import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { writeDocx } from '../src/docx/index.js';
import { resolveGrid } from '../src/form/index.js';
import type { TableIR } from '../src/layout/ir.js';
import { readReportFile } from '../src/model/load.js';
import { prepare, renderDocx, renderPdf } from '../src/render.js';
import { docxParts, wordTables } from './helpers/docx.js';
import { info } from './helpers/pdf.js';
import { ROOT } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-docx-'));
const samples = ['huaian-2024', 'yangshan-2024', 'qingjiang-bureau-2024', 'jiangsu-long-2024', 'huaian-2023'];
const load = (s: string) => readReportFile(`${ROOT}samples/${s}.json`);

const docs: Record<string, { bytes: Uint8Array; parts: Record<string, string>; tables: TableIR[] }> = {};
beforeAll(async () => {
  for (const s of samples) {
    const { ir, fonts } = prepare(load(s));
    const bytes = await writeDocx(ir, fonts);
    const tables = ir.blocks.flatMap((b) => (b.type === 'group' ? b.blocks : [b])).filter((b): b is TableIR => b.type === 'table');
    docs[s] = { bytes, parts: docxParts(bytes), tables };
  }
});

describe('DOCX: the official grids as Word tables', () => {
  it.each(samples)('%s: each table equals the official grid, cell for cell, numbers in their cells', (s) => {
    const { parts, tables } = docs[s]!;
    const word = wordTables(parts['word/document.xml']!);
    const official = [gov2021.tables.table2!, gov2021.tables.table3!, gov2021.tables.table4!].map(resolveGrid);
    expect(word).toHaveLength(3);
    word.forEach((t, i) => {
      const grid = official[i]!;
      expect(t.columns).toHaveLength(grid.cols);
      const expected = tables[i]!.cells.map((c) => ({ r: c.r, c: c.c, rs: c.rs, cs: c.cs, text: c.text }));
      expect(t.cells).toEqual(expected);
      // …and the spans are the layout's, which are the official template's.
      expect(t.cells.map(({ r, c, rs, cs }) => ({ r, c, rs, cs }))).toEqual(grid.cells.map(({ r, c, rs, cs }) => ({ r, c, rs, cs })));
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
    expect(t3rows.slice(0, 3).every((r) => r.includes('<w:tblHeader/>') || r.includes('<w:tblHeader w:val="on"/>') || r.includes('<w:tblHeader w:val="true"/>'))).toBe(true);
    expect(t3rows[3]).not.toMatch(/<w:tblHeader(?: w:val="(?:on|true|1)")?\/>/);
  });
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
    const footers = Object.entries(parts).filter(([n]) => /^word\/footer\d+\.xml$/.test(n)).map(([, x]) => x);
    expect(footers).toHaveLength(2);
    for (const f of footers) {
      expect(f).toMatch(/— <\/w:t>.*PAGE.*<w:t xml:space="preserve"> —/s);
    }
    expect(footers.some((f) => f.includes('<w:jc w:val="right"/>'))).toBe(true);
    expect(footers.some((f) => f.includes('<w:jc w:val="left"/>'))).toBe(true);
  });

  it('has named styles with outline levels and East Asian font slots', () => {
    const styles = docs['huaian-2024']!.parts['word/styles.xml']!;
    const style = (id: string) => new RegExp(`<w:style w:type="paragraph" w:styleId="${id}"[^>]*>(.*?)</w:style>`, 's').exec(styles)?.[1] ?? '';
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
      expect(table).toMatch(new RegExp(`<w:font w:name="${name}">.*?<w:embedRegular r:id="rId\\d+" w:fontKey="\\{[0-9A-F-]{36}\\}"/>`, 's'));
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
    expect(docxParts(a)['docProps/core.xml']).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-14T16:00:00Z</dcterms:created>');
  });
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));

describe.skipIf(!soffice)('DOCX opened in LibreOffice', () => {
  // Each conversion gets a fresh profile: LibreOffice keeps embedded fonts by name across documents.
  const convert = (file: string, name: string) => {
    const out = join(dir, `lo-${name}`);
    mkdirSync(out, { recursive: true });
    execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, `profile-${name}`)}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    return join(out, readdirSync(out).find((f) => f.endsWith('.pdf'))!);
  };

  it.each(['huaian-2024', 'yangshan-2024', 'qingjiang-bureau-2024', 'huaian-2023'])('%s: same page count as our PDF', async (s) => {
    const docx = join(dir, `${s}.docx`);
    writeFileSync(docx, docs[s]!.bytes);
    const pdf = join(dir, `${s}.pdf`);
    writeFileSync(pdf, await renderPdf(load(s)));
    expect(Number(info(convert(docx, s)).Pages)).toBe(Number(info(pdf).Pages));
  });
});
