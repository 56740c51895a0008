import { beforeAll, describe, expect, it } from 'vitest';
import { gov2021 } from '../layouts/gov-2021/index.js';
import { writeDocx } from '../src/docx/index.js';
import { setCoreDates, setFontKeys, setParagraphDefaults } from '../src/docx/package.js';
import { resolveGrid } from '../src/form/index.js';
import { readReportFile } from '../src/app/files.js';
import { getPath } from '../src/model/paths.js';
import { resolve } from '../src/model/resolve.js';
import { prepare, renderDocx } from '../src/app/render.js';
import { bodyParagraphs, docxParts, paragraphText, styleOf, wordTables } from './helpers/docx.js';
import { readJson, ROOT } from './helpers/reports.js';

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
    // Nothing measured with our fonts: no forced line break outside the title, no row height,
    // no page break; the grid alone says 28 × 22.
    const doc = parts['word/document.xml']!;
    expect(bodyParagraphs(doc).filter((p) => styleOf(p) !== 'Title' && p.includes('<w:br'))).toEqual([]);
    expect(doc).not.toMatch(/<w:trHeight|pageBreakBefore|w:type="page"/);
    expect(doc).toContain('<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>');
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

/** Every paragraph of the report in document order (the title's lines joined), as the IR has them. */
function reportParagraphs(sample: string) {
  const { ir } = prepare(load(sample));
  const out: { style: string; text: string }[] = [];
  const walk = (blocks: typeof ir.blocks) => {
    for (const b of blocks) {
      if (b.type === 'group') walk(b.blocks);
      else if (b.type === 'paragraph') out.push({ style: b.style, text: b.text });
    }
  };
  walk(ir.blocks);
  return out;
}

const INVISIBLE = /[\u2060\u200b\ufeff]/u;

describe('DOCX for editing: one Word paragraph per paragraph, typography in styles', () => {
  it.each(samples)('%s: one Word paragraph per report paragraph, in order, with its whole text', (s) => {
    const doc = docs[s]!.parts['word/document.xml']!;
    const word = bodyParagraphs(doc)
      .map((p) => ({ style: styleOf(p), text: paragraphText(p) }))
      .filter((p) => p.text !== '');
    const styleIds = { title: 'Title', body: 'Normal', heading1: 'Heading1', heading2: 'Heading2', signature: 'Luokuan' };
    expect(word).toEqual(reportParagraphs(s).map((p) => ({ style: styleIds[p.style as keyof typeof styleIds], text: p.text })));
  });

  it.each(samples)('%s: no manual line break outside the title, no page break, no invisible character, no frame or text box', (s) => {
    const { parts } = docs[s]!;
    const doc = parts['word/document.xml']!;
    const paragraphs = [...doc.matchAll(/<w:p(?: [^>]*)?>.*?<\/w:p>/gs)].map((m) => m[0]);
    const title = paragraphs.filter((p) => styleOf(p) === 'Title');
    expect(title).toHaveLength(1);
    // The title keeps the layout's lines: one break fewer than it has lines.
    const { ir } = prepare(load(s));
    const titleBlock = ir.blocks.find((b) => b.type === 'paragraph' && b.style === 'title');
    expect(title[0]!.match(/<w:br\/>/g)?.length ?? 0).toBe(titleBlock!.type === 'paragraph' ? titleBlock!.lines.length - 1 : -1);
    const others = paragraphs.filter((p) => styleOf(p) !== 'Title');
    expect(others.filter((p) => p.includes('<w:br')).length).toBe(0);
    expect(doc).not.toMatch(/pageBreakBefore|w:type="page"|lastRenderedPageBreak/);
    for (const [name, xml] of Object.entries(parts)) expect(INVISIBLE.test(xml), name).toBe(false);
    expect(doc).not.toMatch(/<w:framePr|<w:txbxContent|<w:pict|<mc:AlternateContent|<wps:/);
  });

  it.each(samples)('%s: body paragraphs and cells carry no run formatting of their own', (s) => {
    const doc = docs[s]!.parts['word/document.xml']!;
    const { ir } = prepare(load(s));
    const shrunk = (b: (typeof ir.blocks)[number]): boolean =>
      b.type === 'group' ? b.blocks.some(shrunk) : b.type === 'table' && b.style.size !== ir.tableStyle.size;
    for (const p of bodyParagraphs(doc)) expect(p).not.toContain('<w:rPr>');
    // Cells: only a table the layout set smaller than the style says has a size on its runs.
    const tables = [...doc.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)].map((m) => m[1]!);
    const flat = ir.blocks.flatMap((b) => (b.type === 'group' ? b.blocks : [b])).filter((b) => b.type === 'table');
    tables.forEach((t, i) => {
      const rPrs = [...t.matchAll(/<w:r><w:rPr>(.*?)<\/w:rPr>/gs)].map((m) => m[1]);
      if (shrunk(flat[i]!)) for (const r of rPrs) expect(r).toMatch(/^<w:sz w:val="\d+"\/><w:szCs w:val="\d+"\/>$/);
      else expect(rPrs).toEqual([]);
      // Rows as tall as their text: no height from our fonts' metrics.
      expect(t).not.toContain('<w:trHeight');
    });
  });

  it('declares the 公文 grid: 22 lines of 28 characters as Word counts them (linesAndChars)', () => {
    const doc = docs['huaian-2024']!.parts['word/document.xml']!;
    const styles = docs['huaian-2024']!.parts['word/styles.xml']!;
    const grid = /<w:docGrid w:type="linesAndChars" w:linePitch="(\d+)" w:charSpace="(-?\d+)"\/>/.exec(doc);
    expect(grid).not.toBeNull();
    const [linePitch, charSpace] = [Number(grid![1]), Number(grid![2])];
    const attr = (el: string, name: string) => Number(new RegExp(`<w:${el} [^>]*w:${name}="(\\d+)"`).exec(doc)![1]);
    const width = attr('pgSz', 'w') - attr('pgMar', 'left') - attr('pgMar', 'right');
    const height = attr('pgSz', 'h') - attr('pgMar', 'top') - attr('pgMar', 'bottom');
    // Word: the character pitch is the Normal style's size plus charSpace/4096 pt.
    const size = Number(/<w:style w:type="paragraph" w:styleId="Normal"[^>]*>.*?<w:sz w:val="(\d+)"\/>/s.exec(styles)![1]) / 2;
    expect(size).toBe(16);
    const pitch = size + charSpace / 4096;
    expect(Math.floor(width / 20 / pitch)).toBe(28);
    // …and is the widest that still puts 28 in a line.
    expect(Math.floor(width / 20 / (size + (charSpace + 1) / 4096))).toBe(27);
    expect(Math.floor(height / linePitch)).toBe(22);
  });

  it('sets widow control on, Han–Latin auto spacing and hanging punctuation off, for every paragraph', () => {
    const styles = docs['huaian-2024']!.parts['word/styles.xml']!;
    const pPr = /<w:pPrDefault><w:pPr>(.*?)<\/w:pPr>/s.exec(styles)![1]!;
    expect(pPr).toContain('<w:widowControl w:val="1"/>');
    expect(pPr).toContain('<w:autoSpaceDE w:val="0"/>');
    expect(pPr).toContain('<w:autoSpaceDN w:val="0"/>');
    expect(pPr).toContain('<w:overflowPunct w:val="0"/>');
    // No style turns widow control back off.
    expect(styles).not.toMatch(/<w:style .*?<w:widowControl w:val="(0|false)"\/>/s);
  });

  it('names its styles as Chinese Word shows them: built-in ids for 正文/标题/标题 1/标题 2, Chinese names for its own', () => {
    const styles = docs['huaian-2024']!.parts['word/styles.xml']!;
    const named = (id: string) =>
      new RegExp(`<w:style w:type="paragraph" w:styleId="${id}"[^>]*><w:name w:val="([^"]+)"/>`).exec(styles)?.[1];
    expect(named('Normal')).toBe('Normal');
    expect(named('Title')).toBe('Title');
    expect(named('Heading1')).toBe('heading 1');
    expect(named('Heading2')).toBe('heading 2');
    expect(named('Luokuan')).toBe('落款');
    expect(named('TableText')).toBe('表格文字');
    expect(named('TableTextKeep')).toMatch(/^表格文字/);
    const style = (id: string) => new RegExp(`<w:style w:type="paragraph" w:styleId="${id}"[^>]*>(.*?)</w:style>`, 's').exec(styles)![1]!;
    // Headings stay with what follows and are never split; the indent is two characters.
    for (const id of ['Heading1', 'Heading2', 'Title']) {
      expect(style(id)).toContain('<w:keepNext/>');
      expect(style(id)).toContain('<w:keepLines/>');
    }
    expect(style('Normal')).toContain('w:firstLineChars="200"');
    expect(style('Normal')).toContain('<w:jc w:val="both"/>');
  });
});

describe('DOCX: the one post-processing step, on parsed XML', () => {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  it('sets default paragraph properties in schema order, keeping what is there', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ${W}><w:docDefaults><w:pPrDefault><w:pPr><w:keepNext/><w:autoSpaceDN w:val="1"/><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:styleId="Normal"/></w:styles>`;
    const out = setParagraphDefaults(xml, { snapToGrid: false, widowControl: true, autoSpaceDE: false, autoSpaceDN: false });
    expect(out).toContain(
      '<w:pPr><w:keepNext/><w:widowControl w:val="1"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:after="0"/></w:pPr>',
    );
    expect(out).toContain('<w:style w:styleId="Normal"/>');
    expect(out.startsWith('<?xml')).toBe(true);
  });

  it('creates w:docDefaults when the styles have none', () => {
    const out = setParagraphDefaults(`<w:styles ${W}><w:style w:styleId="Normal"/></w:styles>`, { overflowPunct: false });
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

describe('DOCX: as the official template and GB/T 9704 set it (issue 23)', () => {
  it.each(samples)('%s: each heading right after a table has a blank line (579 twips, one line pitch) before it, in its paragraph', (s) => {
    const xml = docs[s]!.parts['word/document.xml']!;
    const body = /<w:body>(.*)<\/w:body>/s.exec(xml)![1]!;
    const afterTables = [...body.matchAll(/<\/w:tbl>(<w:p(?: [^>]*)?>.*?<\/w:p>)/gs)].map((m) => m[1]!);
    // Tables 2 and 3 are followed by the next part's heading, table 4 by 五、.
    expect(afterTables.map((p) => paragraphText(p).slice(0, 2))).toEqual(['三、', '四、', '五、']);
    for (const p of afterTables) {
      expect(styleOf(p)).toBe('Heading1');
      expect(p).toMatch(/<w:spacing w:before="579"\/>/);
    }
  });
});

describe('DOCX: table 2 and table 3 ruled and shaded as the template (issue 23)', () => {
  /** The cells of the n-th table as XML, with their text. */
  const cellsOf = (xml: string, n: number) =>
    [...[...xml.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)][n]![1]!.matchAll(/<w:tc>(.*?)<\/w:tc>/gs)].map((m) => ({
      xml: m[1]!,
      text: paragraphText(m[1]!),
    }));

  it.each(samples)('%s: the 第二十条 cells are left-aligned and shaded C6D9F1, as in the template, and no other', (s) => {
    const cells = cellsOf(docs[s]!.parts['word/document.xml']!, 0);
    const shaded = cells.filter((c) => /<w:shd [^>]*w:fill="C6D9F1"/.test(c.xml));
    expect(shaded.map((c) => c.text)).toEqual(['第二十条第（一）项', '第二十条第（五）项', '第二十条第（六）项', '第二十条第（八）项']);
    for (const c of shaded) {
      expect(c.xml).toMatch(/<w:shd [^>]*w:val="clear"/);
      expect(c.xml).toContain('<w:jc w:val="left"/>');
    }
  });

  it("table 3: the cells that end at the header rows carry a bottom rule twice the table's", () => {
    const xml = docs['huaian-2024']!.parts['word/document.xml']!;
    const tbl = [...xml.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)][1]![1]!;
    const base = Number(/<w:tblBorders><w:top [^>]*w:sz="(\d+)"/.exec(tbl)?.[1] ?? /<w:insideH [^>]*w:sz="(\d+)"/.exec(tbl)?.[1]);
    // (A merged cell's continuations repeat its borders and hold no text.)
    const heavy = cellsOf(xml, 1).filter((c) => c.text && /<w:tcBorders>.*<w:bottom [^>]*w:sz="(\d+)"/.test(c.xml));
    const sizes = heavy.map((c) => Number(/<w:bottom [^>]*w:sz="(\d+)"/.exec(c.xml)![1]));
    // The note (rows 1–3), 自然人 and 总计 (rows 2–3) and the five columns of row 3.
    expect(heavy.map((c) => c.text)).toEqual([
      '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
      '自然人',
      '总计',
      '商业企业',
      '科研机构',
      '社会公益组织',
      '法律服务机构',
      '其他',
    ]);
    expect(base).toBeGreaterThan(0);
    for (const sz of sizes) expect(sz).toBe(2 * base);
  });
});
