/** Reading our HTML back with a real HTML parser (parse5), as a browser's parser sees it. */
import { parse, type DefaultTreeAdapterMap } from 'parse5';

export type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

export type Document = DefaultTreeAdapterMap['document'];

export const parseHtml = (html: string): Document => parse(html);

const isElement = (n: Node): n is Element => 'tagName' in n;
const children = (n: Node): Node[] => ('childNodes' in n ? (n.childNodes as Node[]) : []);

/** Every element under a node, in document order (a template's content included). */
export function elements(root: Node, tag?: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Node) => {
    for (const c of children(n)) {
      if (isElement(c)) {
        if (!tag || c.tagName === tag) out.push(c);
        walk(c);
        if (c.tagName === 'template' && 'content' in c) walk(c.content as Node);
      }
    }
  };
  walk(root);
  return out;
}

export const attr = (e: Element, name: string): string | undefined => e.attrs.find((a) => a.name === name)?.value;

/** Text content; `<br>` as a newline. */
export function textOf(n: Node): string {
  if (n.nodeName === '#text') return (n as DefaultTreeAdapterMap['textNode']).value;
  if (isElement(n) && n.tagName === 'br') return '\n';
  return children(n).map(textOf).join('');
}

export interface HtmlCell {
  r: number;
  c: number;
  rs: number;
  cs: number;
  tag: 'th' | 'td';
  text: string;
  id?: string;
  scope?: string;
  headers: string[];
  /** The row group the cell's row is in. */
  group: 'thead' | 'tbody' | 'tfoot';
}

export interface HtmlTable {
  id?: string;
  caption?: string;
  cols: number;
  rows: number;
  headRows: number;
  cells: HtmlCell[];
  element: Element;
}

/**
 * Rebuild a table's grid as the HTML table model does: rows in document order across its row
 * groups, each cell in the first free slot of its row, covering rowspan × colspan slots.
 */
export function htmlTable(table: Element): HtmlTable {
  const groups = children(table)
    .filter(isElement)
    .filter((e) => ['thead', 'tbody', 'tfoot'].includes(e.tagName));
  const rows: { tr: Element; group: HtmlCell['group'] }[] = groups.flatMap((g) =>
    children(g)
      .filter(isElement)
      .filter((e) => e.tagName === 'tr')
      .map((tr) => ({ tr, group: g.tagName as HtmlCell['group'] })),
  );
  const taken: boolean[][] = rows.map(() => []);
  const cells: HtmlCell[] = [];
  let cols = 0;
  rows.forEach(({ tr, group }, r) => {
    let c = 0;
    for (const td of children(tr)
      .filter(isElement)
      .filter((e) => e.tagName === 'td' || e.tagName === 'th')) {
      while (taken[r]![c]) c++;
      const rs = Number(attr(td, 'rowspan') ?? 1);
      const cs = Number(attr(td, 'colspan') ?? 1);
      for (let i = r; i < r + rs; i++)
        for (let j = c; j < c + cs; j++) {
          if (i >= rows.length) throw new Error(`R${r}C${c} spans past the last row`);
          if (taken[i]![j]) throw new Error(`R${i}C${j} is covered twice`);
          taken[i]![j] = true;
        }
      const headers = attr(td, 'headers');
      cells.push({
        r,
        c,
        rs,
        cs,
        tag: td.tagName as 'th' | 'td',
        text: textOf(td),
        id: attr(td, 'id'),
        scope: attr(td, 'scope'),
        headers: headers ? headers.split(/\s+/) : [],
        group,
      });
      c += cs;
      cols = Math.max(cols, c);
    }
  });
  for (let r = 0; r < rows.length; r++)
    for (let c = 0; c < cols; c++) if (!taken[r]![c]) throw new Error(`R${r}C${c} is not covered by any cell`);
  const caption = children(table)
    .filter(isElement)
    .find((e) => e.tagName === 'caption');
  return {
    id: attr(table, 'id'),
    caption: caption && textOf(caption),
    cols,
    rows: rows.length,
    headRows: rows.filter((x) => x.group === 'thead').length,
    cells,
    element: table,
  };
}
