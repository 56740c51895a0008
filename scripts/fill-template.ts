/**
 * Fill the official template (WPS-made, as circulated) the way a clerk does: numbers typed into its
 * table cells, `（文字描述）` replaced by paragraphs and `（一）…` headings, a title and a signature —
 * by editing word/document.xml through an XML DOM, keeping WPS's own markup (cell and paragraph
 * properties are cloned, never rewritten). Makes the importer's DOCX fixtures:
 *
 *   node dist/scripts/fill-template.js --template T.docx --report samples/huaian-2024.json \
 *     [--distinct] [--mess] --out filled.docx [--json filled.json]
 *
 * --distinct replaces the numbers with distinct ones that still satisfy the 勾稽 rules (so that a
 * number read from the wrong cell cannot pass); --mess types what real clerks type: full-width
 * digits in some cells, `1、` for `1.`, a label with a stray space, half-width brackets, run-in
 * section headings (`（一）主动公开。2024年，……`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { unzipSync, zipSync } from 'fflate';
import { formFor } from '../layouts/index.js';
import { parseReportValue as parseReport } from '../src/model/load.js';
import { resolve, type ResolvedReport } from '../src/model/resolve.js';
import { getPath } from '../src/model/paths.js';
import type { ReportInput } from '../src/model/schema.js';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const form = formFor();

const { values: args } = parseArgs({
  options: {
    template: { type: 'string' },
    report: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    distinct: { type: 'boolean' },
    mess: { type: 'boolean' },
  },
});

/** Numbers that differ from cell to cell and still satisfy R1–R4. */
function distinctNumbers(input: ReportInput): ReportInput {
  const r = JSON.parse(JSON.stringify(input)) as any;
  const cols = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'] as const;
  const a = r.applications;
  const leaves: any[] = [
    a.granted,
    a.partiallyGranted,
    ...Object.values(a.denied),
    ...Object.values(a.unableToProvide),
    ...Object.values(a.notProcessed),
    ...Object.values(a.otherHandling),
  ];
  const row = (f: (j: number) => number) => {
    const o: any = Object.fromEntries(cols.map((k, j) => [k, f(j)]));
    o.total = cols.reduce((s, k) => s + o[k], 0);
    return o;
  };
  leaves.forEach((leaf, k) =>
    Object.assign(
      leaf,
      row((j) => (k + 1) * 10 + j + 1),
    ),
  );
  a.total = row((j) => leaves.reduce((s, l) => s + l[cols[j]!], 0));
  a.carriedOver = row((j) => 3 + j * 2);
  a.carriedForward = row((j) => 4 + j * 3);
  a.received = row((j) => a.total[cols[j]!] + a.carriedForward[cols[j]!] - a.carriedOver[cols[j]!]);
  const outcome = (base: number) => {
    const o: any = { upheld: base, corrected: base + 1, other: base + 2, pending: base + 3 };
    o.total = o.upheld + o.corrected + o.other + o.pending;
    return o;
  };
  r.reviewsAndLawsuits = { review: outcome(5), lawsuitDirect: outcome(13), lawsuitAfterReview: outcome(21) };
  r.proactive = {
    regulations: { issued: 2, repealed: 1, inForce: 37 },
    normativeDocuments: { issued: 19, repealed: 6, inForce: 154 },
    licensing: 8641,
    punishment: 2375,
    enforcement: 92,
    fees: '96171.6',
  };
  return r;
}

const FULL_WIDTH = (s: string) => s.replace(/[0-9.]/gu, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

function main() {
  if (!args.template || !args.report || !args.out)
    throw new Error('usage: --template T.docx --report R.json --out OUT.docx [--json OUT.json] [--distinct] [--mess]');
  let input = JSON.parse(readFileSync(args.report, 'utf8')) as ReportInput;
  if (args.distinct) input = distinctNumbers(input);
  const parsed = parseReport(input);
  if (!parsed.ok) throw new Error(parsed.diagnostics.map((d) => d.message).join('\n'));
  const report = resolve(parsed.report, form.defaultTitle);
  const zip = unzipSync(readFileSync(args.template));
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(zip['word/document.xml']), 'application/xml') as unknown as Document;
  fill(doc, report, Boolean(args.mess));
  if (args.mess) addHeaderAndFooter(zip, doc, report.agency);
  zip['word/document.xml'] = new TextEncoder().encode(new XMLSerializer().serializeToString(doc as any));
  const mtime = new Date('2025-01-20T08:00:00Z');
  writeFileSync(args.out, zipSync(Object.fromEntries(Object.entries(zip).map(([k, v]) => [k, [v, { mtime }]]))));
  if (args.json) writeFileSync(args.json, `${JSON.stringify(input, null, 2)}\n`);
}

const els = (parent: Element | Document, name: string): Element[] =>
  Array.from(parent.getElementsByTagNameNS(W, name) as unknown as Element[]);
const childEls = (parent: Element, name: string): Element[] =>
  Array.from(parent.childNodes as unknown as Element[]).filter((c) => c.nodeType === 1 && c.namespaceURI === W && c.localName === name);
const textOf = (p: Element) =>
  els(p, 't')
    .map((t) => t.textContent)
    .join('');

/** Replace a paragraph's runs by one run of `text`, keeping its properties and the first run's. */
function setText(doc: Document, p: Element, text: string): void {
  const runs = childEls(p, 'r');
  const rPr = runs[0] ? childEls(runs[0], 'rPr')[0] : childEls(childEls(p, 'pPr')[0] ?? p, 'rPr')[0];
  for (const r of runs) p.removeChild(r);
  const r = doc.createElementNS(W, 'w:r');
  if (rPr) {
    const copy = rPr.cloneNode(true) as Element;
    if (copy.localName === 'rPr') r.appendChild(copy);
  }
  const t = doc.createElementNS(W, 'w:t');
  t.setAttributeNS('http://www.w3.org/XML/1998/namespace', 'xml:space', 'preserve');
  t.appendChild(doc.createTextNode(text));
  r.appendChild(t);
  p.appendChild(r);
}

/** New paragraphs cloned from a model paragraph (its WPS properties), inserted before `before`. */
function insertParagraphs(doc: Document, model: Element, before: Element | null, texts: string[], parent: Element): void {
  for (const text of texts) {
    const p = model.cloneNode(true) as Element;
    p.removeAttribute('w14:paraId');
    setText(doc, p, text);
    parent.insertBefore(p, before);
  }
}

function fill(doc: Document, report: ResolvedReport, mess: boolean): void {
  const body = els(doc, 'body')[0]!;
  const paras = () => childEls(body, 'p');
  const find = (text: string) => paras().find((p) => textOf(p) === text);

  // Title; the preface after it (cloned from a body paragraph).
  const bodyModel = find('（文字描述）')!.cloneNode(true) as Element;
  const title = find('政府信息公开工作年度报告格式模板')!;
  setText(doc, title, `${report.agency}${report.year}年度政府信息公开工作年度报告`);
  insertParagraphs(doc, bodyModel, title.nextSibling as Element, report.preface, body);

  // （文字描述） under 一、 / 五、 / 六、.
  const section = (s: { heading: string; paragraphs: string[] }, i: number, runIn: boolean) =>
    runIn && s.paragraphs.length
      ? [`${form.subsectionNumber(i)}${s.heading}。${s.paragraphs[0]}`, ...s.paragraphs.slice(1)]
      : [`${form.subsectionNumber(i)}${s.heading}`, ...s.paragraphs];
  const overview = [...(report.overview.intro ?? []), ...report.overview.sections.flatMap((s, i) => section(s, i, mess))];
  const placeholders = paras().filter((p) => textOf(p).startsWith('（文字描述'));
  const [one, five, six] = placeholders;
  for (const [p, texts] of [
    [one!, overview],
    [five!, report.problems],
    [six!, report.other.flatMap((s, i) => section(s, i, false))],
  ] as const) {
    insertParagraphs(doc, bodyModel, p, texts, body);
    body.removeChild(p);
  }
  if (report.signature) {
    const [y, m, d] = report.signature.date.split('-').map(Number);
    const last = paras().at(-1)!;
    insertParagraphs(doc, bodyModel, last, [report.signature.name, `${y}年${m}月${d}日`], body);
  }

  // The three tables: every number where the template has it (test/fixtures/template-cells.tsv,
  // written from the template itself, not from our form), and the labels as the template prints them.
  const tables = childEls(body, 'tbl');
  TABLES.forEach((name, t) => {
    const rows = childEls(tables[t]!, 'tr');
    const numbers = new Map(
      templateCells()
        .filter((cell) => cell.table === name)
        .map((cell) => [`${cell.row} ${cell.col}`, cell.path]),
    );
    let n = 0;
    let filled = 0;
    rows.forEach((tr, r) => {
      let c = 0;
      for (const tc of childEls(tr, 'tc')) {
        const path = numbers.get(`${r} ${c}`);
        const text = textOf(tc).trim();
        if (path) {
          const v = String(getPath(report, path));
          filled++;
          // Some cells typed with full-width digits, as an input method leaves them.
          setText(doc, childEls(tc, 'p')[0]!, mess && n++ % 9 === 4 ? FULL_WIDTH(v) : v);
        } else if (mess && text) {
          // A stray space; `、` for `.` in every other numbered label; half-width brackets; a label
          // in the wording of the older template (the seed report writes it so).
          const messy =
            text === '第二十条第（一）项'
              ? '第二十条 第（一）项'
              : text === '2.其他法律行政法规禁止公开'
                ? '2、其他法律法规禁止公开'
                : /^\d\./u.test(text) && r % 2 === 1
                  ? text.replace('.', '、')
                  : text === '（一）予以公开'
                    ? '(一)予以公开'
                    : undefined;
          if (messy) setText(doc, childEls(tc, 'p')[0]!, messy);
        }
        c += spanOf(tc);
      }
    });
    if (filled !== numbers.size) throw new Error(`${name}: ${numbers.size - filled} numbers have no cell in the template`);
  });
}

const spanOf = (tc: Element): number => Number(els(tc, 'gridSpan')[0]?.getAttributeNS(W, 'val') ?? 1);

/** The three tables of the template, in order, as template-cells.tsv names them. */
const TABLES = ['表二', '表三', '表四'] as const;

/** Where each number sits in the template: test/fixtures/template-cells.tsv (see its header). */
function templateCells(): { table: string; row: number; col: number; path: string }[] {
  const tsv = new URL('../../test/fixtures/template-cells.tsv', import.meta.url);
  return readFileSync(tsv, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [table, row, col, , , path] = l.split('\t') as [string, string, string, string, string, string];
      return { table, row: Number(row), col: Number(col), path };
    });
}

const PKG_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const PKG_TYPES = 'http://schemas.openxmlformats.org/package/2006/content-types';
const OFFICE_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/**
 * What WPS users add: a running header with the agency's name and a centred `- 3 -` page number
 * field in the footer — both parts registered through the package's XML (rels, content types,
 * sectPr), so LibreOffice prints them on every page.
 */
function addHeaderAndFooter(zip: Record<string, Uint8Array>, doc: Document, agency: string): void {
  const parse = (name: string) =>
    new DOMParser().parseFromString(new TextDecoder().decode(zip[name]), 'application/xml') as unknown as Document;
  const write = (name: string, d: Document) => (zip[name] = new TextEncoder().encode(new XMLSerializer().serializeToString(d as any)));
  const part = (root: 'hdr' | 'ftr', body: string) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:${root} xmlns:w="${W}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>${body}</w:p></w:${root}>`;
  const run = (t: string) =>
    `<w:r><w:rPr><w:rFonts w:hint="eastAsia" w:ascii="宋体" w:eastAsia="宋体"/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">${t}</w:t></w:r>`;
  const field = (instr: string) =>
    `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ${instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>${run('1')}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;
  zip['word/header1.xml'] = new TextEncoder().encode(part('hdr', run(`${agency}政务公开`)));
  zip['word/footer1.xml'] = new TextEncoder().encode(part('ftr', `${run('- ')}${field('PAGE')}${run(' -')}`));
  const rels = parse('word/_rels/document.xml.rels');
  const types = parse('[Content_Types].xml');
  for (const [id, kind, target] of [
    ['rIdXxgkHeader', 'header', 'header1.xml'],
    ['rIdXxgkFooter', 'footer', 'footer1.xml'],
  ] as const) {
    const rel = rels.createElementNS(PKG_RELS, 'Relationship');
    rel.setAttribute('Id', id);
    rel.setAttribute('Type', `${OFFICE_RELS}/${kind}`);
    rel.setAttribute('Target', target);
    rels.documentElement!.appendChild(rel);
    const over = types.createElementNS(PKG_TYPES, 'Override');
    over.setAttribute('PartName', `/word/${target}`);
    over.setAttribute('ContentType', `application/vnd.openxmlformats-officedocument.wordprocessingml.${kind}+xml`);
    types.documentElement!.appendChild(over);
  }
  write('word/_rels/document.xml.rels', rels);
  write('[Content_Types].xml', types);
  const sectPr = els(doc, 'sectPr').at(-1)!;
  for (const [kind, id] of [
    ['footerReference', 'rIdXxgkFooter'],
    ['headerReference', 'rIdXxgkHeader'],
  ] as const) {
    const ref = doc.createElementNS(W, `w:${kind}`);
    ref.setAttributeNS(W, 'w:type', 'default');
    ref.setAttributeNS(OFFICE_RELS, 'r:id', id);
    sectPr.insertBefore(ref, sectPr.firstChild);
  }
}

main();
