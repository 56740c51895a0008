/**
 * The layout's pages (src/layout/pages.ts): frames inside the text block, keep rules honoured,
 * and the flow (blocks, as the DOCX and HTML write them) marked with the same page breaks as the frames.
 */
import { describe, expect, it } from 'vitest';
import type { Block, DocumentIR } from '../src/layout/ir.js';
import { readReportFile } from '../src/app/files.js';
import { prepare } from '../src/app/render.js';
import { ROOT } from './helpers/reports.js';

const samples = ['huaian-2024', 'yangshan-2024', 'qingjiang-bureau-2024', 'jiangsu-long-2024', 'huaian-2023'];
const laid = Object.fromEntries(samples.map((s) => [s, prepare(readReportFile(`${ROOT}samples/${s}.json`)).ir])) as Record<
  string,
  DocumentIR
>;
const flat = (blocks: Block[]): Exclude<Block, { type: 'group' }>[] => blocks.flatMap((b) => (b.type === 'group' ? flat(b.blocks) : [b]));

describe('layout: pages', () => {
  it.each(samples)('%s: every run and cell is inside the text block, the page number below it', (s) => {
    const { page, pages } = laid[s]!;
    const m = page.margins;
    const right = page.width - m.right;
    const bottom = page.height - m.bottom;
    for (const p of pages) {
      for (const t of [...p.texts, ...p.cells.flatMap((c) => c.lines)]) {
        expect(t.x, `${s} p${p.number} ${t.text}`).toBeGreaterThanOrEqual(m.left - 0.01);
        expect(t.x).toBeLessThan(right);
        expect(t.y).toBeGreaterThan(m.top);
        expect(t.y).toBeLessThan(bottom);
      }
      for (const c of p.cells) expect(c.y + c.height, `${s} p${p.number} ${c.table} R${c.r}`).toBeLessThanOrEqual(bottom + 0.01);
      expect(
        p.footer
          .map((t) => t.text)
          .join('')
          .replace(/\s/g, ''),
      ).toBe(`—${p.number}—`);
      expect(Math.min(...p.footer.map((f) => f.y))).toBeGreaterThan(bottom);
    }
  });

  it.each(samples)('%s: the flow starts a page wherever a frame does', (s) => {
    const ir = laid[s]!;
    const starts = flat(ir.blocks).reduce((n, b) => n + (b.pageStarts?.length ?? 0), 0);
    expect(starts + 1).toBe(ir.pages.length);
  });

  it.each(samples)('%s: a heading is on the page of what follows it; the signature on the page of the last paragraph’s last line', (s) => {
    const ir = laid[s]!;
    // The page of each block's first and last line, from the page starts marked on the flow.
    const blocks = flat(ir.blocks);
    let page = 1;
    const span = blocks.map((b) => {
      const starts = b.pageStarts ?? [];
      const first = page + (starts.includes(0) ? 1 : 0);
      page += starts.length;
      return { first, last: page };
    });
    expect(page).toBe(ir.pages.length);
    let headings = 0;
    blocks.forEach((b, i) => {
      if (b.type !== 'paragraph' || !b.style.startsWith('heading') || i === blocks.length - 1) return;
      headings++;
      expect(span[i]!.last, b.text).toBe(span[i + 1]!.first);
    });
    expect(headings).toBeGreaterThan(6);
    const signature = blocks.findIndex((b) => b.type === 'paragraph' && b.style === 'signature');
    if (signature > 0) expect(span[signature - 1]!.last).toBe(span[signature]!.first);
  });
});
