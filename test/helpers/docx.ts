import { strFromU8, unzipSync } from 'fflate';

export function docxParts(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(
    Object.entries(files)
      .filter(([n]) => /\.(xml|rels)$/.test(n))
      .map(([n, d]) => [n, strFromU8(d)]),
  );
}

export interface WordCell {
  r: number;
  c: number;
  rs: number;
  cs: number;
  text: string;
}

const texts = (xml: string) => [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');

/**
 * Rebuild each table's grid from document.xml as Word reads it: gridSpan widens a cell, a cell
 * with vMerge (no "restart") continues the one above it.
 */
export function wordTables(documentXml: string): { columns: number[]; cells: WordCell[] }[] {
  return [...documentXml.matchAll(/<w:tbl>(.*?)<\/w:tbl>/gs)].map(([, tbl]) => {
    const columns = [...tbl!.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    const cells: WordCell[] = [];
    const rows = [...tbl!.matchAll(/<w:tr>(.*?)<\/w:tr>/gs)].map((m) => m[1]!);
    rows.forEach((row, r) => {
      let c = 0;
      for (const [, tc] of row.matchAll(/<w:tc>(.*?)<\/w:tc>/gs)) {
        const cs = Number(/<w:gridSpan w:val="(\d+)"\/>/.exec(tc!)?.[1] ?? 1);
        const vMerge = /<w:vMerge(?: w:val="(\w+)")?\/>/.exec(tc!);
        if (vMerge && vMerge[1] !== 'restart') {
          const above = cells.find((x) => x.c === c && x.r + x.rs === r);
          if (!above) throw new Error(`vMerge continue at R${r}C${c} without a cell above`);
          above.rs++;
        } else cells.push({ r, c, rs: 1, cs, text: texts(tc!) });
        c += cs;
      }
      if (c !== columns.length) throw new Error(`row ${r} covers ${c} of ${columns.length} grid columns`);
    });
    return { columns, cells };
  });
}

/** The text of a paragraph's runs. */
export const paragraphText = (p: string) => texts(p);

/**
 * The body's top-level paragraphs (not those in tables), in order, as XML: what an office suite
 * shows as the document's paragraphs outside its tables.
 */
export function bodyParagraphs(documentXml: string): string[] {
  const body = /<w:body>(.*)<\/w:body>/s.exec(documentXml)![1]!.replace(/<w:tbl>.*?<\/w:tbl>/gs, '');
  return [...body.matchAll(/<w:p(?: [^>]*)?>.*?<\/w:p>|<w:p\/>/gs)].map((m) => m[0]);
}

/** The style id of a paragraph. */
export const styleOf = (p: string) => /<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1];
