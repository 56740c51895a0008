/**
 * HTML reader (parse5, the WHATWG parsing algorithm): block elements and line breaks → paragraphs,
 * tables → grids by their rowspan/colspan. Office suites write headings as styled `p`s and header
 * cells as `td`s, so nothing here trusts tag names beyond "block" and "table".
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import { boundSpans, gridFromRows, STRUCTURE_LIMITS, type Block, type ReadResult } from './blocks.js';
import { refuse } from './refuse.js';
import { cleanText } from './text.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const BLOCK = new Set([
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'center',
  'address',
  'figure',
  'figcaption',
  'hr',
  'body',
  'form',
  'fieldset',
  'caption',
]);
const SKIP = new Set(['script', 'style', 'head', 'template', 'noscript', 'title', 'svg', 'math', 'iframe', 'object', 'select', 'button']);

const isElement = (n: Node): n is Element => 'tagName' in n;
const kids = (n: Node): Node[] => ('childNodes' in n ? n.childNodes : 'content' in n ? [] : []) as Node[];
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;

/** Decode by the BOM, the meta charset, or UTF-8 falling back to GB18030 (Chinese government sites). */
export function decodeHtml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/iu.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    try {
      return new TextDecoder(declared === 'gb2312' || declared === 'gbk' ? 'gb18030' : declared).decode(bytes);
    } catch {
      /* unknown label: fall through */
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Text of a subtree, `<br>` as a line break. */
function textOf(n: Node, out: string[] = []): string[] {
  if (n.nodeName === '#text') out.push((n as DefaultTreeAdapterMap['textNode']).value);
  else if (isElement(n)) {
    if (SKIP.has(n.tagName)) return out;
    if (n.tagName === 'br') out.push('\n');
    else {
      const block = BLOCK.has(n.tagName) || n.tagName === 'tr' || n.tagName === 'table';
      if (block) out.push('\n');
      for (const c of kids(n)) textOf(c, out);
      if (block) out.push('\n');
    }
  }
  return out;
}

function hasNestedTable(table: Element): boolean {
  const inside = (n: Node): boolean => kids(n).some((c) => isElement(c) && (c.tagName === 'table' || inside(c)));
  return inside(table);
}

function cellCount(table: Element): number {
  let n = 0;
  const count = (x: Node) => {
    for (const c of kids(x)) if (isElement(c)) c.tagName === 'td' || c.tagName === 'th' ? n++ : count(c);
  };
  count(table);
  return n;
}

function readTable(table: Element, file?: string): Block {
  const rows: { text: string; rs: number; cs: number }[][] = [];
  const walk = (n: Node) => {
    for (const c of kids(n)) {
      if (!isElement(c)) continue;
      if (c.tagName === 'tr') {
        rows.push(
          kids(c)
            .filter((x): x is Element => isElement(x) && (x.tagName === 'td' || x.tagName === 'th'))
            .map((td) => ({
              text: cleanText(textOf(td).join('').replace(/\n+/gu, ' ')),
              // The HTML standard's own caps (rowspan 65534, colspan 1000); the table's size bounds them further.
              rs: Math.min(65_534, Math.max(1, Number(attr(td, 'rowspan') ?? 1) || 1)),
              cs: Math.min(1000, Math.max(1, Number(attr(td, 'colspan') ?? 1) || 1)),
            })),
        );
      } else if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') walk(c);
    }
  };
  walk(table);
  const tooLarge = boundSpans(rows);
  if (tooLarge) refuse('TOO_COMPLEX', `HTML 中的${tooLarge}，不是报告的表格，拒绝导入`, file);
  return gridFromRows(rows);
}

/** How deep elements nest, without recursion (parse5 builds any depth; the walks below recurse). */
function depthOf(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    if (d > STRUCTURE_LIMITS.depth) break;
    for (const c of kids(n)) stack.push([c, d + 1]);
  }
  return max;
}

export function readHtml(bytes: Uint8Array, file?: string): ReadResult {
  const doc = parse(decodeHtml(bytes));
  if (depthOf(doc) > STRUCTURE_LIMITS.depth)
    refuse('TOO_DEEP', `HTML 的元素嵌套超过 ${STRUCTURE_LIMITS.depth} 层，不是报告的网页，拒绝导入`, file);
  const blocks: Block[] = [];
  let line = '';
  const flush = () => {
    const t = cleanText(line);
    if (t) blocks.push({ kind: 'p', text: t });
    line = '';
  };
  const walk = (n: Node) => {
    for (const c of kids(n)) {
      if (c.nodeName === '#text') {
        line += (c as DefaultTreeAdapterMap['textNode']).value.replace(/[\r\n]+/gu, ' ');
        continue;
      }
      if (!isElement(c) || SKIP.has(c.tagName)) continue;
      if (c.tagName === 'table') {
        flush();
        // Portal pages lay out with tables: one holding other tables, or a single cell, is a container.
        if (hasNestedTable(c) || cellCount(c) <= 1) walk(c);
        else blocks.push(readTable(c, file));
      } else if (c.tagName === 'br') flush();
      else if (BLOCK.has(c.tagName)) {
        flush();
        walk(c);
        flush();
      } else walk(c);
    }
  };
  walk(doc);
  flush();
  if (!blocks.length) refuse('EMPTY', 'HTML 中没有文字', file);
  return { blocks, notes: [], titles: pageTitles(doc) };
}

/** What the page says its title is: `<meta name="ArticleTitle">` (TRS and similar CMSs), then `<title>`. */
function pageTitles(doc: Node): string[] {
  const metas: string[] = [];
  let title: string | undefined;
  const walk = (n: Node) => {
    for (const c of kids(n)) {
      if (!isElement(c)) continue;
      if (c.tagName === 'meta' && /^(?:articletitle|title|og:title)$/iu.test(attr(c, 'name') ?? attr(c, 'property') ?? ''))
        metas.push(cleanText(attr(c, 'content') ?? ''));
      else if (c.tagName === 'title')
        title ??= cleanText(
          kids(c)
            .map((x) => (x.nodeName === '#text' ? (x as DefaultTreeAdapterMap['textNode']).value : ''))
            .join(''),
        );
      else if (c.tagName === 'head' || c.tagName === 'html') walk(c);
    }
  };
  walk(doc);
  return [...metas, ...(title ? [title] : [])].filter(Boolean);
}

/** The links of a page: each `<a href>` with its text, in page order (for a report attached to a notice). */
export function pageLinks(bytes: Uint8Array): { href: string; text: string }[] {
  const out: { href: string; text: string }[] = [];
  const walk = (n: Node) => {
    for (const c of kids(n)) {
      if (!isElement(c) || c.tagName === 'script' || c.tagName === 'style') continue;
      const href = c.tagName === 'a' ? attr(c, 'href') : undefined;
      if (href) out.push({ href: href.trim(), text: cleanText(textOf(c).join('')) });
      else walk(c);
    }
  };
  walk(parse(decodeHtml(bytes)));
  return out;
}
