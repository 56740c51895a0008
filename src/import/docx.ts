/**
 * DOCX reader: word/document.xml through a real zip reader (sizes checked in the zip directory
 * before anything is inflated) and a namespace-aware XML parser. Paragraphs in body order; tables
 * rebuilt from gridSpan / vMerge / gridBefore.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import { STRUCTURE_LIMITS, type Block, type ReadResult, type TableCell } from './blocks.js';
import { refuse } from './refuse.js';
import { chineseNumeral } from '../form/index.js';
import { cleanText } from './text.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
/** Uncompressed size the whole package may claim: beyond it a DOCX is a zip bomb, not a report. */
export const DOCX_LIMITS = { totalBytes: 50 * 1024 * 1024, entries: 2000 } as const;
/** The parts read: the text, and what automatic numbering (一、 （一） typed by Word, not by hand) needs. */
const PARTS = ['word/document.xml', 'word/numbering.xml', 'word/styles.xml'];

export function unzipDocx(bytes: Uint8Array, file?: string): Record<string, Uint8Array> {
  let total = 0;
  let entries = 0;
  let bomb = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        entries++;
        total += f.originalSize;
        if (total > DOCX_LIMITS.totalBytes || entries > DOCX_LIMITS.entries) bomb = true;
        // Only the main document is inflated, and only once the directory has been summed.
        return !bomb && PARTS.includes(f.name);
      },
    });
  } catch (e) {
    refuse('CORRUPT', `DOCX 文件已损坏，无法解压（${e instanceof Error ? e.message : String(e)}）`, file);
  }
  if (bomb)
    refuse(
      'ZIP_BOMB',
      `DOCX 解压后过大（压缩包目录声明 ${entries} 个文件、共 ${total} 字节，上限 ${DOCX_LIMITS.totalBytes} 字节），拒绝导入`,
      file,
    );
  if (!files['word/document.xml']) refuse('NOT_DOCX', '压缩包中没有 word/document.xml：不是 Word 文档（.docx）', file);
  return files;
}

const isW = (n: Node, name: string): n is Element =>
  n.nodeType === 1 && (n as Element).namespaceURI === W && (n as Element).localName === name;
const children = (n: Node): Element[] => {
  const out: Element[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
};
const child = (n: Node, name: string) => children(n).find((c) => isW(c, name));
const val = (n: Element | undefined) => n?.getAttributeNS(W, 'val') ?? n?.getAttribute('w:val') ?? null;

/** The text runs of a paragraph, split at explicit line breaks. */
function paragraphLines(p: Element): string[] {
  const lines: string[] = [''];
  const walk = (n: Node) => {
    for (const c of children(n)) {
      if (c.namespaceURI === W) {
        switch (c.localName) {
          case 't':
            lines[lines.length - 1] += c.textContent ?? '';
            continue;
          case 'tab':
            lines[lines.length - 1] += ' ';
            continue;
          case 'br':
          case 'cr':
            if (c.getAttributeNS(W, 'type') !== 'page') lines.push('');
            continue;
          case 'del':
          case 'delText':
          case 'instrText':
          case 'pPr':
          case 'rPr':
          case 'txbxContent':
            continue;
        }
      } else if (c.localName === 'Fallback') continue;
      walk(c);
    }
  };
  walk(p);
  return lines;
}

/**
 * A line that ends a sentence: the text after a soft break starts a paragraph of its own. (A break
 * after ： or ； stays inside the paragraph: Word users and typesetters break long lines there.)
 */
const ENDS_SENTENCE = /[。！？!?]$/u;

/** Two lines of one paragraph: Han text joins directly, two Latin words or numbers keep a space. */
const joinLines = (a: string, b: string): string => (/[A-Za-z0-9]$/u.test(a) && /^[A-Za-z0-9]/u.test(b) ? `${a} ${b}` : a + b);

type Level = { start: number; fmt: string; text: string };

/** Word's numbering levels are 0–8; anything else in w:ilvl is not a Word document's. */
const MAX_LEVEL = 8;
function levelOf(text: string | null, file?: string): number {
  if (text === null) return 0;
  const n = /^\d{1,2}$/u.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(n >= 0 && n <= MAX_LEVEL))
    refuse('CORRUPT', `DOCX 的编号级别 w:ilvl="${text.slice(0, 40)}" 无效（应为 0–${MAX_LEVEL}），拒绝导入`, file);
  return n;
}
/** A start value of a numbering level: Word's own range (0–32767), else 1. */
const startOf = (text: string | null): number => {
  const n = Number(text ?? 1);
  return Number.isInteger(n) && n >= 0 && n <= 32_767 ? n : 1;
};

/**
 * Word's automatic numbering: the number a paragraph shows is not in its text but computed from
 * word/numbering.xml (the paragraph's own numPr, or its style's). Counters per list, deeper levels
 * restarting when a higher one advances.
 */
class Numbering {
  private levels = new Map<string, Map<number, Level>>();
  private styles = new Map<string, { numId: string; ilvl: number }>();
  private counters = new Map<string, number[]>();

  constructor(
    numbering?: Document,
    styles?: Document,
    private readonly file?: string,
  ) {
    if (numbering) {
      const abstract = new Map<string, Map<number, Level>>();
      for (const a of Array.from(numbering.getElementsByTagNameNS(W, 'abstractNum'))) {
        const lvls = new Map<number, Level>();
        for (const l of children(a).filter((c) => isW(c, 'lvl'))) {
          lvls.set(levelOf(l.getAttributeNS(W, 'ilvl') || null, file), {
            start: startOf(val(child(l, 'start'))),
            fmt: val(child(l, 'numFmt')) ?? 'decimal',
            text: val(child(l, 'lvlText')) ?? '',
          });
        }
        abstract.set(a.getAttributeNS(W, 'abstractNumId') ?? '', lvls);
      }
      for (const n of Array.from(numbering.getElementsByTagNameNS(W, 'num'))) {
        const base = abstract.get(val(child(n, 'abstractNumId')) ?? '');
        if (!base) continue;
        const lvls = new Map([...base].map(([k, v]) => [k, { ...v }]));
        for (const o of children(n).filter((c) => isW(c, 'lvlOverride'))) {
          const start = val(child(o, 'startOverride'));
          const lvl = lvls.get(levelOf(o.getAttributeNS(W, 'ilvl') || null, file));
          if (lvl && start !== null) lvl.start = startOf(start);
        }
        this.levels.set(n.getAttributeNS(W, 'numId') ?? '', lvls);
      }
    }
    if (styles)
      for (const st of Array.from(styles.getElementsByTagNameNS(W, 'style'))) {
        const numPr = child(child(st, 'pPr') ?? st, 'numPr');
        const numId = val(numPr && child(numPr, 'numId'));
        if (numId)
          this.styles.set(st.getAttributeNS(W, 'styleId') ?? '', { numId, ilvl: levelOf(val(numPr && child(numPr, 'ilvl')), file) });
      }
  }

  /** The number Word shows before this paragraph, e.g. `一、` or `（二）`; '' if none. */
  label(p: Element): string {
    const pPr = child(p, 'pPr');
    const numPr = pPr && child(pPr, 'numPr');
    let numId = val(numPr && child(numPr, 'numId'));
    let ilvl = levelOf(val(numPr && child(numPr, 'ilvl')), this.file);
    if (numId === null) {
      const style = this.styles.get(val(pPr && child(pPr, 'pStyle')) ?? '');
      if (!style) return '';
      ({ numId, ilvl } = style);
    }
    const lvls = this.levels.get(numId);
    const lvl = lvls?.get(ilvl);
    if (!lvls || !lvl || numId === '0') return '';
    const counts = this.counters.get(numId) ?? [];
    counts[ilvl] = counts[ilvl] === undefined ? lvl.start : counts[ilvl]! + 1;
    counts.length = ilvl + 1;
    this.counters.set(numId, counts);
    return lvl.text.replace(/%(\d)/gu, (_, d: string) => {
      const k = Number(d) - 1;
      const l = lvls.get(k);
      return formatNumber(counts[k] ?? l?.start ?? 1, l?.fmt ?? 'decimal');
    });
  }
}

function formatNumber(n: number, fmt: string): string {
  if (/^(?:chinese|ideograph|japaneseCounting|taiwanese)/u.test(fmt)) return n >= 1 && n < 1000 ? chineseNumeral(n) : String(n);
  if (fmt === 'decimalFullWidth' || fmt === 'decimalFullWidth2')
    return String(n).replace(/\d/gu, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  if (fmt === 'decimalEnclosedParen') return `(${n})`;
  if (fmt === 'decimalEnclosedFullstop') return `${n}.`;
  if (fmt === 'upperLetter' || fmt === 'lowerLetter') {
    const ch = String.fromCharCode(65 + ((n - 1) % 26));
    return fmt === 'upperLetter' ? ch : ch.toLowerCase();
  }
  if (fmt === 'bullet' || fmt === 'none') return '';
  return String(n);
}

function cellText(tc: Element): string {
  const parts: string[] = [];
  const walk = (n: Node) => {
    for (const c of children(n)) {
      if (isW(c, 'p')) parts.push(paragraphLines(c).join(''));
      else if (isW(c, 'tbl')) walk(c);
      else if (!isW(c, 'tcPr')) walk(c);
    }
  };
  walk(tc);
  return parts.join('\n');
}

/** A count in a table property (gridSpan, gridBefore): a whole number up to `max` (the table's real width), else `fallback`. */
const countOf = (text: string | null, fallback: number, max: number): number => {
  const n = Number(text ?? fallback);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
};

function readTable(tbl: Element, file?: string): Block {
  type Raw = { text: string; cs: number; merge: 'restart' | 'continue' | null; col: number };
  const rows: Raw[][] = [];
  const trs = children(tbl).filter((c) => isW(c, 'tr'));
  const rowCells = trs.map((tr) => children(tr).filter((x) => isW(x, 'tc') || isW(x, 'sdt') || isW(x, 'customXml')).length);
  const total = rowCells.reduce((a, b) => a + b, 0);
  if (total > STRUCTURE_LIMITS.cellsPerTable)
    refuse('TOO_COMPLEX', `DOCX 中的表格有 ${total} 个单元格，上限 ${STRUCTURE_LIMITS.cellsPerTable} 个，不是报告的表格，拒绝导入`, file);
  // The table's real width: its declared grid (w:tblGrid), or its widest row. Spans and skipped
  // columns never go beyond it.
  const tblGrid = child(tbl, 'tblGrid');
  const width = Math.max(1, tblGrid ? children(tblGrid).filter((c) => isW(c, 'gridCol')).length : 0, ...rowCells);
  if (width * trs.length > STRUCTURE_LIMITS.gridArea)
    refuse('TOO_COMPLEX', `DOCX 中的表格过大（${trs.length} 行 × ${width} 列），上限 ${STRUCTURE_LIMITS.gridArea} 格，拒绝导入`, file);
  for (const tr of trs) {
    const trPr = child(tr, 'trPr');
    const before = countOf(val(trPr && child(trPr, 'gridBefore')), 0, width - 1);
    let col = before;
    const row: Raw[] = [];
    const tcs: Element[] = [];
    const collect = (n: Node) => {
      for (const c of children(n)) {
        if (isW(c, 'tc')) tcs.push(c);
        else if (isW(c, 'sdt') || isW(c, 'sdtContent') || isW(c, 'customXml')) collect(c);
      }
    };
    collect(tr);
    tcs.forEach((tc) => {
      const pr = child(tc, 'tcPr');
      const cs = Math.max(1, countOf(val(pr && child(pr, 'gridSpan')), 1, width));
      const vm = pr && child(pr, 'vMerge');
      const merge = vm ? (val(vm) === 'restart' ? 'restart' : 'continue') : null;
      if (col >= width) return; // beyond the table's grid: nothing Word would show
      row.push({ text: cellText(tc), cs: Math.min(cs, width - col), merge, col });
      col += cs;
    });
    rows.push(row);
  }
  // vMerge: a `continue` cell extends the cell above it in the same grid column.
  const cells: TableCell[] = [];
  const open = new Map<number, TableCell>();
  rows.forEach((row, r) => {
    for (const cell of row) {
      const top = open.get(cell.col);
      if (cell.merge === 'continue' && top && top.cs === cell.cs && top.r + top.rs === r) {
        top.rs++;
        if (cell.text.trim()) top.text = `${top.text} ${cell.text}`;
        continue;
      }
      const g: TableCell = { r, c: cell.col, rs: 1, cs: cell.cs, text: cell.text };
      open.set(cell.col, g);
      cells.push(g);
    }
  });
  for (const cell of cells) cell.text = cleanText(cell.text.replace(/\n/gu, ' '));
  return { kind: 'table', rows: rows.length, cols: Math.max(0, ...cells.map((c) => c.c + c.cs)), cells };
}

/** How deep elements nest under `root`, without recursion (the walks here recurse). */
function depthOf(root: Node): number {
  let max = 0;
  const stack: [Node, number][] = [[root, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    if (d > STRUCTURE_LIMITS.depth) break;
    for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) stack.push([c, d + 1]);
  }
  return max;
}

const parseXml = (bytes: Uint8Array | undefined): Document | undefined => {
  if (!bytes) return undefined;
  try {
    return new DOMParser({ onError: () => {} }).parseFromString(new TextDecoder('utf-8').decode(bytes), 'application/xml');
  } catch {
    return undefined;
  }
};

export function readDocx(bytes: Uint8Array, file?: string): ReadResult {
  const files = unzipDocx(bytes, file);
  const numbering = new Numbering(parseXml(files['word/numbering.xml']), parseXml(files['word/styles.xml']), file);
  const xml = new TextDecoder('utf-8').decode(files['word/document.xml']);
  // Word never writes a DTD; one in a DOCX can only be there to define entities (billion laughs).
  if (/<!DOCTYPE/iu.test(xml.slice(0, 4096))) refuse('CORRUPT', 'DOCX 的 word/document.xml 含有 DTD（Word 不会写出），拒绝导入', file);
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level === 'fatalError') throw new Error(msg);
      },
    }).parseFromString(xml, 'application/xml');
  } catch (e) {
    refuse('CORRUPT', `DOCX 的 word/document.xml 不是有效的 XML（${e instanceof Error ? e.message.split('\n')[0] : String(e)}）`, file);
  }
  const body = doc.getElementsByTagNameNS(W, 'body')[0];
  if (!body) refuse('NOT_DOCX', 'DOCX 中没有正文（w:body）', file);
  if (depthOf(body) > STRUCTURE_LIMITS.depth)
    refuse('TOO_DEEP', `DOCX 的正文嵌套超过 ${STRUCTURE_LIMITS.depth} 层（例如表格套表格），不是报告，拒绝导入`, file);
  const blocks: Block[] = [];
  let prevDistributed = false;
  const walk = (n: Node) => {
    for (const c of children(n)) {
      if (isW(c, 'p')) {
        const lines = paragraphLines(c);
        const number = numbering.label(c);
        if (number && lines.join('').trim()) lines[0] = `${number}${lines[0]!.trimStart()}`;
        const pPr = children(c).find((x) => isW(x, 'pPr'));
        const prop = (name: string) => (pPr ? children(pPr).find((x) => isW(x, name)) : undefined);
        const style = val(prop('pStyle'));
        if (style === 'Title' || style === 'title') {
          for (const line of lines) blocks.push({ kind: 'p', text: cleanText(line) });
          continue;
        }
        // A line break inside a body paragraph (Shift+Enter, or a break a typesetter forced to keep
        // its lines) continues the paragraph unless the line ends a sentence, as in a PDF.
        const texts: string[] = [];
        for (const line of lines) {
          const t = cleanText(line);
          const last = texts.at(-1);
          if (last !== undefined && last !== '' && !ENDS_SENTENCE.test(last)) texts[texts.length - 1] = joinLines(last, t);
          else texts.push(t);
        }
        // A paragraph cut at a page break (the first part justified to its end, the rest starting the
        // page) is one paragraph.
        const prev = blocks.at(-1);
        const continues = prevDistributed && prop('pageBreakBefore') !== undefined && prev?.kind === 'p' && !ENDS_SENTENCE.test(prev.text);
        if (continues && prev?.kind === 'p' && texts.length) prev.text = joinLines(prev.text, texts.shift()!);
        for (const t of texts) blocks.push({ kind: 'p', text: t });
        prevDistributed = val(prop('jc')) === 'distribute';
      } else if (isW(c, 'tbl')) {
        // A layout table (the whole report in one cell, or tables inside cells) is a container.
        const rows = children(c).filter((r) => isW(r, 'tr'));
        const cells = rows.flatMap((r) => children(r).filter((x) => isW(x, 'tc')));
        const layout = cells.length <= 1 || cells.some((tc) => tc.getElementsByTagNameNS(W, 'tbl').length > 0);
        if (layout) for (const tc of cells) walk(tc);
        else blocks.push(readTable(c, file));
      } else if (isW(c, 'sdt') || isW(c, 'sdtContent') || isW(c, 'customXml') || isW(c, 'ins')) walk(c);
    }
  };
  walk(body);
  return { blocks, notes: [] };
}
