/**
 * The intermediate form → the report model: the title, the preface, the six parts by their
 * official headings, the sections by `（一）` headings (run-in headings split off), the signature,
 * and the numbers of the three tables (tables.ts). What cannot be placed is a gap, named.
 */
import type { Diagnostic } from '../diagnostics.js';
import { formFor } from '../../layouts/index.js';
import type { FormSpec, PartSpec } from '../form/index.js';
import { cellLabel, decimalCells } from '../model/labels.js';
import { setPath } from '../model/resolve.js';
import type { ReportInput } from '../model/schema.js';
import type { Block, ParagraphBlock } from './blocks.js';
import { readTables } from './tables.js';
import { chineseNumber, cleanText, labelKey, similarity } from './text.js';

export interface MapResult {
  report: ReportInput;
  /** Things the document does not hold that the model needs (exit 1 unless --partial). */
  gaps: Diagnostic[];
  /** What was tolerated or guessed, said out loud. */
  notes: Diagnostic[];
}

const gap = (path: string, message: string): Diagnostic => ({ code: 'IMPORT_GAP', severity: 'error', path, message });
const note = (path: string, message: string): Diagnostic => ({ code: 'IMPORT', severity: 'warning', path, message });

/** `（一）` / `(一)` at the start of a paragraph. */
const SUBSECTION = /^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*/u;
const DATE =
  /^(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$/u;

/**
 * The part whose heading a short paragraph is (from `from` on), or -1: the official heading, without
 * its number, or — `variant` — its number with a close wording or with the part's key words
 * (`五、存在的主要问题及整改措施`, `四、政府信息公开行政法复议、行政诉讼情况`).
 */
function partMatch(text: string, parts: readonly PartSpec[], from: number): { k: number; variant: boolean } {
  const key = labelKey(text);
  for (let k = from; k < parts.length; k++) {
    const heading = parts[k]!.heading;
    const num = heading.slice(0, heading.indexOf('、') + 1);
    const rest = labelKey(heading.slice(num.length));
    if (key === labelKey(heading) || key === rest) return { k, variant: false };
    if (!num || !key.startsWith(labelKey(num))) continue;
    if (key.length <= rest.length + num.length + 6 && similarity(key.slice(num.length), rest) >= 0.6) return { k, variant: true };
    const words = parts[k]!.keywords;
    if (words?.length && key.length <= 40 && !/[。；]/u.test(text) && words.every((w) => key.includes(labelKey(w))))
      return { k, variant: true };
  }
  return { k: -1, variant: false };
}
const partIndex = (text: string, parts: readonly PartSpec[], from: number): number => partMatch(text, parts, from).k;

function parseDate(text: string): string | undefined {
  const m = DATE.exec(text.normalize('NFKC').replace(/\s+/gu, ''));
  if (!m) return undefined;
  const num = (s: string) => (/^\d+$/u.test(s) ? Number(s) : s.length === 4 ? chineseNumber(s) : chineseNumber(s));
  const [y, mo, d] = [num(m[1]!), num(m[2]!), num(m[3]!)];
  if (!y || !mo || !d || mo > 12 || d > 31) return undefined;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The title as the form's default title spells it (`<机关><年度>年度政府信息公开工作年度报告`), with
 * the variants reports print: `2024年政府信息…`, without `工作`, full-width digits, spaces anywhere.
 */
function titlePattern(form: FormSpec): { parse: (text: string) => { agency?: string; year: number } | undefined; end: RegExp } {
  const probe = form.defaultTitle('\u0001', 1234);
  const suffix = probe.slice(probe.indexOf('1234') + 4);
  const escapeRegex = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  const tail = escapeRegex(suffix)
    .replace(/^年度/u, '年度?')
    .replace(/工作/u, '(?:工作)?')
    .replace(/年度(报告)$/u, '(?:年度)?$1');
  const last = suffix.slice(-2);
  // `<机关>2024年度…` (the agency may be left out: a department's page), or `2024年度<机关>…`.
  const agencyFirst = new RegExp(`^(.*?)([0-9０-９]{4})${tail}$`, 'u');
  const yearFirst = tail.startsWith('年度?') ? new RegExp(`^([0-9０-９]{4})年度?(.+?)${tail.slice('年度?'.length)}$`, 'u') : undefined;
  // An agency is a name: not a breadcrumb, a date line or a sentence joined to the title.
  const name = (a: string) => a.length <= 40 && !/[>＞»:：。，,;；|]/u.test(a);
  const parse = (text: string) => {
    const a = agencyFirst.exec(text);
    if (a && name(a[1]!)) return { ...(a[1] ? { agency: a[1] } : {}), year: Number(a[2]!.normalize('NFKC')) };
    const y = yearFirst?.exec(text);
    if (y && name(y[2]!)) return { agency: y[2]!, year: Number(y[1]!.normalize('NFKC')) };
    return undefined;
  };
  return { parse, end: new RegExp(`${escapeRegex(last)}$`, 'u') };
}

interface Section {
  heading: string;
  paragraphs: string[];
}

/** Paragraphs → intro paragraphs and numbered sections; run-in headings split at their first 。. */
function sections(paras: string[]): { intro: string[]; sections: Section[] } {
  const intro: string[] = [];
  const out: Section[] = [];
  for (const p of paras) {
    const m = SUBSECTION.exec(p);
    if (!m) {
      (out.at(-1)?.paragraphs ?? intro).push(p);
      continue;
    }
    const rest = p.slice(m[0].length).trim();
    const stop = rest.search(/[。]/u);
    if (stop >= 0 && stop < rest.length - 1) out.push({ heading: rest.slice(0, stop).trim(), paragraphs: [rest.slice(stop + 1).trim()] });
    else out.push({ heading: rest.replace(/[。]$/u, '').trim(), paragraphs: [] });
  }
  return { intro, sections: out.filter((s) => s.heading || s.paragraphs.length) };
}

/** The year a period sentence states: `统计期限自2024年1月1日起至…止`, `统计期限为2024年1月1日至…`, `2024年1月1日至2024年12月31日`. */
function periodYear(text: string): number | undefined {
  const t = text.normalize('NFKC').replace(/\s+/gu, '');
  const m =
    /统计(?:期限|时限|区间|时间|周期)(?:为|是|自|从|：|:)*(?:自|从)?(\d{4})年(?:度|1月1日)/u.exec(t) ??
    /(\d{4})年1月1日(?:起)?(?:至|到|—|-|－|~)(\d{4})年12月31日/u.exec(t);
  if (!m) return undefined;
  if (m[2] && m[2] !== m[1]) return undefined;
  return Number(m[1]);
}

/** A line of a portal page's chrome between the title and the text: publication date, source, views, font size. */
const PAGE_INFO =
  /^(?:(?:发布(?:日期|时间)|来源|信息来源|浏览(?:次数)?|访问量|点击(?:数|量)?|字号|【字体|作者|索引号)[:：]?|(?:首页|当前位置|您(?:现在)?的位置)\s*[>＞»:：])/u;

export function mapBlocks(blocks: Block[], form: FormSpec = formFor(), titles: string[] = []): MapResult {
  const gaps: Diagnostic[] = [];
  const notes: Diagnostic[] = [];
  const paras = blocks.filter((b): b is ParagraphBlock => b.kind === 'p' && cleanText(b.text) !== '');
  const texts = paras.map((p) => cleanText(p.text));

  // ── Parts by their official headings, in order ──
  let starts: number[] = new Array(form.parts.length).fill(-1);
  const headingVariants: (string | undefined)[] = [];
  let next = 0;
  texts.forEach((t, i) => {
    if (t.length > 40) return;
    let match = partMatch(t, form.parts, next);
    let k = match.k;
    if (k < 0 && next > 0 && partIndex(t, form.parts, 0) === 0) {
      // 一、 again: what came before was a table of contents (headings with nothing between them).
      const found = starts.filter((s) => s >= 0);
      if (found.every((s, j) => j === 0 || s === found[j - 1]! + 1)) {
        starts = new Array(form.parts.length).fill(-1);
        match = partMatch(t, form.parts, 0);
        k = 0;
      }
    }
    if (k >= 0) {
      starts[k] = i;
      next = k + 1;
      headingVariants[k] = match.variant ? t : undefined;
    }
  });
  headingVariants.forEach((t, k) => {
    if (t !== undefined && starts[k]! >= 0)
      notes.push(note(form.parts[k]!.field, `第${k + 1}部分的标题印作“${t}”，按“${form.parts[k]!.heading}”读取`));
  });
  const firstPart = starts.find((s) => s >= 0) ?? texts.length;
  const partText = (k: number): string[] => {
    if (starts[k]! < 0) return [];
    const end = starts.slice(k + 1).find((s) => s >= 0) ?? texts.length;
    return texts.slice(starts[k]! + 1, end);
  };
  form.parts.forEach((p, k) => {
    if (starts[k]! < 0 && !p.table) gaps.push(gap(p.field, `文档中找不到“${p.heading}”这一部分的标题`));
  });

  // ── Title, agency, year, preface ──
  const front = texts.slice(0, firstPart);
  // The title: the last one to three paragraphs before 一、 that together end like a report's
  // title (a web page may put navigation and a date line before it); the preface follows it.
  const { parse: parseTitle, end: TITLE_END } = titlePattern(form);
  const TITLE = { test: (t: string) => parseTitle(t) !== undefined };
  const squeeze = (s: string) => s.replace(/\s+/gu, '');
  let titleStart = -1;
  let titleEnd = -1;
  for (let i = front.length - 1; i >= 0 && titleEnd < 0; i--) {
    if (!TITLE_END.test(squeeze(front[i]!))) continue;
    // One to three paragraphs; a join that names the agency before one that does not (`淮安市人民政府` / `2024年度…报告`).
    const joined = (k: number) => parseTitle(squeeze(front.slice(i - k + 1, i + 1).join('')));
    const fits = [1, 2, 3].filter((k) => i - k + 1 >= 0 && joined(k));
    const n = fits.find((k) => joined(k)!.agency) ?? fits[0];
    [titleStart, titleEnd] = [i - (n ?? 1) + 1, i];
  }
  if (titleEnd < 0 && paras[0]?.centred && front.length) [titleStart, titleEnd] = [0, 0];
  let title = titleEnd >= 0 ? front.slice(titleStart, titleEnd + 1).join('') : undefined;
  let titleFrom: string | undefined;
  if (!title || !TITLE.test(squeeze(title))) {
    // The page states its title elsewhere (ArticleTitle, <title> with the site's name after it).
    for (const t of titles) {
      const parts = [t, ...t.split(/\s*(?:[_|｜]|\s[-—–]\s)\s*/u)].map(cleanText);
      const hit = parts.find((p) => TITLE.test(squeeze(p)));
      if (hit) {
        title = hit;
        titleFrom = t;
        break;
      }
    }
  }
  // A table of contents before 一、 (the part headings, 目录) is not preface.
  const toc = (t: string) => /^目\s*录$/u.test(t) || (t.length <= 40 && partIndex(t, form.parts, 0) >= 0);
  let preface = front.slice(titleEnd + 1).filter((t) => !toc(t));
  if (preface.length < front.length - titleEnd - 1) notes.push(note('preface', '正文前的目录未导入'));
  const chrome = preface.filter((t, i) => i < 3 && t.length <= 80 && PAGE_INFO.test(t));
  if (chrome.length) {
    preface = preface.filter((t) => !chrome.includes(t));
    notes.push(note('preface', `网页的导航或发布信息未导入：“${chrome[0]}”`));
  }
  if (titleFrom) notes.push(note('title', `正文中没有标题，标题取自网页的标题：“${titleFrom}”`));
  if (titleStart > 0)
    notes.push(note('title', `标题之前的 ${titleStart} 段文字未导入：“${front[0]!.slice(0, 30)}${front[0]!.length > 30 ? '…' : ''}”`));
  let agency: string | undefined;
  let year: number | undefined;
  if (title) {
    const m = parseTitle(squeeze(title));
    if (m) {
      agency = m.agency;
      year = m.year;
    }
  }
  if (year === undefined) {
    // The period sentence, in the preface or wherever the document put it.
    for (const t of [...preface, ...texts]) {
      year = periodYear(t);
      if (year !== undefined) break;
    }
  }

  // ── Signature: a date line near the end, and the agency name just before it ──
  // (a web page may carry its own footer after it: that is noted, not imported)
  let signature: { name: string; date: string } | undefined;
  const lastPart = [...starts].reverse().find((s) => s >= 0);
  let tailEnd = texts.length;
  const isName = (s: string | undefined) => !!s && s.length <= 40 && !/[。；：，,;:！？]/u.test(s) && !SUBSECTION.test(s);
  for (let d = texts.length - 1; lastPart !== undefined && d > lastPart && d >= texts.length - 6 && !signature; d--) {
    const line = texts[d]!;
    const date = parseDate(line);
    const inline = /^(.{2,40}?)\s*((?:\d{4}|[〇零一二三四五六七八九]{4})\s*年.{1,6}月.{1,6}日)$/u.exec(line);
    if (date && d - 1 > lastPart && isName(texts[d - 1])) {
      signature = { name: texts[d - 1]!, date };
      tailEnd = d - 1;
    } else if (!date && inline && isName(inline[1]) && parseDate(inline[2]!)) {
      signature = { name: inline[1]!.trim(), date: parseDate(inline[2]!)! };
      tailEnd = d;
    }
    if (signature && d < texts.length - 1) {
      const after = texts.slice(d + 1);
      notes.push(
        note('signature', `落款之后的 ${after.length} 段文字未导入：“${after[0]!.slice(0, 30)}${after[0]!.length > 30 ? '…' : ''}”`),
      );
    }
  }
  const body = (k: number) => {
    const ps = partText(k);
    const end = starts[k]! >= 0 ? starts[k]! + 1 + ps.length : 0;
    return end > tailEnd ? ps.slice(0, Math.max(0, ps.length - (end - tailEnd))) : ps;
  };
  agency ??= signature?.name;
  if (!agency) {
    const m = /本报告由(.{2,40}?)(?:按照|根据|依据)/u.exec(preface.join(''));
    if (m) agency = m[1];
  }
  if (!agency) gaps.push(gap('agency', `找不到机关名称：标题应为“${form.defaultTitle('<机关名称>', 1234).replace('1234', '<年度>')}”`));
  if (year === undefined) gaps.push(gap('year', '找不到报告年度：标题或前言中没有“<年度>年度”“统计期限自<年度>年”'));

  // ── Parts: the prose at the paths the form gives, the tables by their labels ──
  const prose = new Map<string, unknown>();
  for (const [k, p] of form.parts.entries()) {
    if (p.table || !(p.paragraphs || p.sections)) continue;
    const raw = sections(body(k));
    if (p.paragraphs && p.sections) {
      prose.set(p.paragraphs, raw.intro);
      prose.set(p.sections, raw.sections);
    } else if (p.paragraphs) {
      // Paragraphs only: numbered subsections are kept as paragraphs that start with their number.
      prose.set(p.paragraphs, [
        ...raw.intro,
        ...raw.sections.flatMap((s, i) => {
          const head = `${form.subsectionNumber(i)}${s.heading}`;
          const [first, ...more] = s.paragraphs;
          return first === undefined ? [head] : [`${head}${/[。；：！？]$/u.test(head) ? '' : '。'}${first}`, ...more];
        }),
      ]);
    } else if (p.sections) {
      const list = raw.sections;
      if (raw.intro.length) {
        list.unshift({ heading: '其他事项', paragraphs: raw.intro });
        notes.push(note(p.field, `${p.heading} 中有 ${raw.intro.length} 段不在任何（一）（二）小标题下，已归入小标题“其他事项”`));
      }
      prose.set(p.sections, list);
    }
  }
  for (const [k, p] of form.parts.entries()) {
    if (!p.table) continue;
    const extra = body(k);
    if (extra.length)
      notes.push(
        note(
          p.field,
          `${p.heading} 中表格以外的 ${extra.length} 段文字未导入（模型中没有对应位置）：“${extra[0]!.slice(0, 30)}${extra[0]!.length > 30 ? '…' : ''}”`,
        ),
      );
  }

  // ── Tables ──
  const tables = readTables(blocks, form);
  for (const n of tables.notes) notes.push(note('$', n));
  const report: Record<string, unknown> = {
    format: form.format,
    agency: agency ?? '',
    year: year ?? 0,
  };
  // The title as printed, when it is not the default one.
  if (title && agency && year !== undefined && squeeze(title) !== squeeze(form.defaultTitle(agency, year))) report.title = title;
  report.preface = preface;
  const missingTables = new Set<string>();
  for (const [id, spec] of Object.entries(form.tables)) {
    if (!tables.found.has(id)) {
      missingTables.add(id);
      const part = form.parts.find((p) => p.table === id);
      gaps.push(gap(part?.field ?? id, `文档中找不到${spec.name}（${part?.heading ?? ''}）：其中的数字均未导入`));
    }
  }
  const empties: string[] = [];
  const problemByBind = new Map(tables.problems.filter((p) => p.bind).map((p) => [p.bind!, p]));
  const decimals = decimalCells(form);
  const putTable = (id: string) => {
    for (const row of form.tables[id]!.rows)
      for (const cell of row.cells) {
        if (!cell.bind) continue;
        const decimal = decimals.has(cell.bind);
        const v = tables.values.get(cell.bind);
        if (v && !v.empty) setPath(report, cell.bind, decimal ? v.text : Number(v.text));
        else {
          setPath(report, cell.bind, decimal ? '0' : 0);
          if (v?.empty) empties.push(cell.bind);
          else if (!missingTables.has(id)) {
            const why = problemByBind.get(cell.bind)?.message ?? '没有读到';
            gaps.push(gap(cell.bind, `${cellLabel(form, cell.bind) ?? cell.bind}：${why}（${cell.bind}）`));
          }
        }
      }
  };
  // In the order of the parts: the model's fields in the order the form prints them.
  for (const p of form.parts) {
    if (p.table) putTable(p.table);
    for (const path of [p.paragraphs, p.sections]) if (path && prose.has(path)) setPath(report, path, prose.get(path));
  }
  for (const id of Object.keys(form.tables)) if (!form.parts.some((p) => p.table === id)) putTable(id);
  if (empties.length)
    notes.push(
      note(
        empties[0]!,
        `${empties.length} 个单元格在文档中为空，按 0 导入：${empties
          .slice(0, 3)
          .map((b) => cellLabel(form, b))
          .join('；')}${empties.length > 3 ? ' 等' : ''}`,
      ),
    );
  if (signature) report.signature = signature;
  return { report: report as unknown as ReportInput, gaps, notes };
}
