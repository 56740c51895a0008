/**
 * The summary report (汇总): every number of Tables 2–4 the exact sum of the members', every total
 * recomputed from the summed parts, the text a blank report's plus one generated paragraph that
 * the office rewrites.
 */
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { formFor, type FormSpec } from '../form/index.js';
import { blankReport } from '../model/blank.js';
import { cellLabel } from '../model/labels.js';
import { APPLICANTS, type FullOutcome, type FullRow } from '../model/resolve.js';
import { FEE_PATTERN, type Report } from '../model/schema.js';
import { runRules } from '../rules/index.js';
import { sumDecimals } from './decimal.js';

/** A member: a parsed report, with the file it came from when there is one (for messages). */
export interface SumMember {
  report: Report;
  file?: string;
}

export interface SumOptions {
  /** The summarising body, e.g. 淮安市人民政府办公室. */
  agency: string;
  /** The report year; by default the year the members share (the most common one). */
  year?: number;
  title?: string;
  /** Last year's summary, for the cross-year rules R5 and R6 on the sums. */
  previous?: Report;
}

export type MemberStatus = 'included' | 'other-year' | 'other-format' | 'duplicate';

export interface MemberOutcome {
  file?: string;
  agency: string;
  status: MemberStatus;
  /** Why a member was left out, in Chinese. */
  reason?: string;
}

export interface SumResult {
  /** The summary, totals filled in; it passes `validate` when its members do. */
  report: Report;
  /**
   * Errors for members left out (another year or format, an agency already summed) and the rule
   * findings on the summary itself (with `previous`: R5, R6).
   */
  diagnostics: Diagnostic[];
  /** What became of each member, in the order given. */
  members: MemberOutcome[];
}

/** The numbers of Tables 2–4 of a report. */
export type Numbers = Pick<Report, 'proactive' | 'applications' | 'reviewsAndLawsuits'>;

const who = (m: SumMember): string => (m.file ? `${m.file}（${m.report.agency.trim()}）` : m.report.agency.trim());

/** The most common year, the later one on a tie. */
function commonYear(reports: readonly Report[]): number | undefined {
  const counts = new Map<number, number>();
  for (const r of reports) counts.set(r.year, (counts.get(r.year) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
}

/**
 * Add up Tables 2–4 of reports: counts as BigInt (a sum past Number.MAX_SAFE_INTEGER is refused),
 * the fee as an exact decimal, every total from the summed parts. Throws ReportError (exit 1)
 * naming each cell that overflows.
 */
export function sumNumbers(reports: readonly Report[], form: FormSpec = formFor()): Numbers {
  const overflow: Diagnostic[] = [];
  const count = (path: string, values: readonly number[]): number => {
    const sum = values.reduce((s, v) => s + BigInt(v), 0n);
    if (sum <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(sum);
    overflow.push({
      code: 'OVERFLOW',
      severity: 'error',
      path,
      message: `${cellLabel(form, path) ?? path}：合计 ${sum} 超出可精确处理的整数范围（上限 ${Number.MAX_SAFE_INTEGER}），无法汇总（${path}）`,
    });
    return 0;
  };
  const at = <T>(pick: (r: Report) => T) => reports.map(pick);

  const row = (path: string, rows: readonly { [K in (typeof APPLICANTS)[number]]: number }[]): FullRow => {
    const out = Object.fromEntries(
      APPLICANTS.map((k) => [
        k,
        count(
          `${path}.${k}`,
          rows.map((r) => r[k]),
        ),
      ]),
    ) as FullRow;
    out.total = count(
      `${path}.total`,
      APPLICANTS.map((k) => out[k]),
    );
    return out;
  };
  const group = (key: 'denied' | 'unableToProvide' | 'notProcessed' | 'otherHandling') => {
    const keys = Object.keys(reports[0]?.applications[key] ?? {});
    return Object.fromEntries(
      keys.map((k) => [
        k,
        row(
          `applications.${key}.${k}`,
          at((r) => (r.applications[key] as Record<string, FullRow>)[k]!),
        ),
      ]),
    );
  };
  const outcome = (key: 'review' | 'lawsuitDirect' | 'lawsuitAfterReview'): FullOutcome => {
    const path = `reviewsAndLawsuits.${key}`;
    const list = at((r) => r.reviewsAndLawsuits[key]);
    const o = {
      upheld: count(
        `${path}.upheld`,
        list.map((x) => x.upheld),
      ),
      corrected: count(
        `${path}.corrected`,
        list.map((x) => x.corrected),
      ),
      other: count(
        `${path}.other`,
        list.map((x) => x.other),
      ),
      pending: count(
        `${path}.pending`,
        list.map((x) => x.pending),
      ),
      total: 0,
    };
    o.total = count(`${path}.total`, [o.upheld, o.corrected, o.other, o.pending]);
    return o;
  };
  const documents = (key: 'regulations' | 'normativeDocuments') => {
    const list = at((r) => r.proactive[key]);
    const path = `proactive.${key}`;
    return {
      issued: count(
        `${path}.issued`,
        list.map((d) => d.issued),
      ),
      repealed: count(
        `${path}.repealed`,
        list.map((d) => d.repealed),
      ),
      inForce: count(
        `${path}.inForce`,
        list.map((d) => d.inForce),
      ),
    };
  };

  const fees = sumDecimals(at((r) => r.proactive.fees));
  if (!FEE_PATTERN.test(fees))
    overflow.push({
      code: 'OVERFLOW',
      severity: 'error',
      path: 'proactive.fees',
      message: `${cellLabel(form, 'proactive.fees')}：合计 ${fees} 超出收费金额可填写的范围（整数部分至多 16 位，小数至多 12 位），无法汇总（proactive.fees）`,
    });

  const granted = row(
    'applications.granted',
    at((r) => r.applications.granted),
  );
  const partiallyGranted = row(
    'applications.partiallyGranted',
    at((r) => r.applications.partiallyGranted),
  );
  const denied = group('denied');
  const unableToProvide = group('unableToProvide');
  const notProcessed = group('notProcessed');
  const otherHandling = group('otherHandling');
  const leaves = [granted, partiallyGranted, ...[denied, unableToProvide, notProcessed, otherHandling].flatMap((g) => Object.values(g))];
  const total = row('applications.total', leaves);

  const numbers: Numbers = {
    proactive: {
      regulations: documents('regulations'),
      normativeDocuments: documents('normativeDocuments'),
      licensing: count(
        'proactive.licensing',
        at((r) => r.proactive.licensing),
      ),
      punishment: count(
        'proactive.punishment',
        at((r) => r.proactive.punishment),
      ),
      enforcement: count(
        'proactive.enforcement',
        at((r) => r.proactive.enforcement),
      ),
      fees,
    },
    applications: {
      received: row(
        'applications.received',
        at((r) => r.applications.received),
      ),
      carriedOver: row(
        'applications.carriedOver',
        at((r) => r.applications.carriedOver),
      ),
      granted,
      partiallyGranted,
      denied: denied as Report['applications']['denied'],
      unableToProvide: unableToProvide as Report['applications']['unableToProvide'],
      notProcessed: notProcessed as Report['applications']['notProcessed'],
      otherHandling: otherHandling as Report['applications']['otherHandling'],
      total,
      carriedForward: row(
        'applications.carriedForward',
        at((r) => r.applications.carriedForward),
      ),
    },
    reviewsAndLawsuits: {
      review: outcome('review'),
      lawsuitDirect: outcome('lawsuitDirect'),
      lawsuitAfterReview: outcome('lawsuitAfterReview'),
    },
  };
  if (overflow.length) throw new ReportError(1, overflow);
  return numbers;
}

/** 全市、全县、全区…: the scope of a summarising body from its name, or nothing when it does not say. */
export function scopeOf(agency: string): string {
  const m = /(自治区|省|自治州|市|州|盟|自治县|县|区|旗)(?:人民政府|政府|$)/u.exec(agency.trim());
  if (!m) return '';
  const level = m[1]!;
  return `全${level.length > 1 ? level.slice(-1) : level}`;
}

/** The generated first paragraph of 一、总体情况: the members' count and the main totals. */
export function overviewParagraph(agency: string, count: number, n: Numbers): string {
  const a = n.applications;
  const received = a.received.total ?? 0;
  const carried = a.carriedOver.total ?? 0;
  const lawsuits = (n.reviewsAndLawsuits.lawsuitDirect.total ?? 0) + (n.reviewsAndLawsuits.lawsuitAfterReview.total ?? 0);
  return (
    `本报告汇总了${scopeOf(agency)}${count}个单位的政府信息公开工作年度报告。` +
    `全年共制发规章${n.proactive.regulations.issued}件、行政规范性文件${n.proactive.normativeDocuments.issued}件；` +
    `共受理政府信息公开申请${received + carried}件（本年新收${received}件，上年结转${carried}件），` +
    `办结${a.total?.total ?? 0}件，结转下年度继续办理${a.carriedForward.total ?? 0}件；` +
    `因政府信息公开被申请行政复议${n.reviewsAndLawsuits.review.total ?? 0}件，被提起行政诉讼${lawsuits}件。`
  );
}

/**
 * Who is summed: the members of the summary's year (given, or the most common) and format, each
 * agency once (the first report of it). Every other member gets an error saying why it is left out.
 */
export function classifyMembers(
  list: readonly SumMember[],
  options: Pick<SumOptions, 'year'>,
): { year?: number; outcomes: MemberOutcome[]; diagnostics: Diagnostic[] } {
  const form = formFor();
  const year = options.year ?? commonYear(list.map((m) => m.report));
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, SumMember>();
  const outcomes = list.map((m): MemberOutcome => {
    const name = m.report.agency.trim();
    const leave = (status: MemberStatus, path: string, reason: string): MemberOutcome => {
      diagnostics.push({ code: 'SUM_MEMBER', severity: 'error', path, message: `${who(m)}：${reason}，未计入汇总` });
      return { file: m.file, agency: name, status, reason };
    };
    if (m.report.format !== form.format) return leave('other-format', 'format', `格式为 ${m.report.format}，汇总使用 ${form.format}`);
    if (m.report.year !== year)
      return leave(
        'other-year',
        'year',
        `报告年度为 ${m.report.year} 年，汇总的年度为 ${year} 年${options.year ? '' : '（多数成员的年度；可用 --year 指定）'}`,
      );
    const first = seen.get(name);
    if (first) return leave('duplicate', 'agency', `与 ${who(first)} 是同一机关（机关名称相同）`);
    seen.set(name, m);
    return { file: m.file, agency: name, status: 'included' };
  });
  return { year, outcomes, diagnostics };
}

/**
 * The summary of members' reports. Members of another year or format, and a second report of an
 * agency already summed, are left out with an error each (the caller decides whether to write
 * anyway); check members with `validate` first: a member that breaks R1 makes the sum break it.
 * Throws ReportError: exit 2 when nothing is left to sum, exit 1 when a sum overflows.
 */
export function sumReports(members: readonly (Report | SumMember)[], options: SumOptions): SumResult {
  const list: SumMember[] = members.map((m) => ('report' in m ? m : { report: m }));
  const agency = options.agency.trim();
  const form = formFor();
  const { year, outcomes, diagnostics } = classifyMembers(list, options);
  const included = list.filter((_, i) => outcomes[i]!.status === 'included').map((m) => m.report);
  if (!included.length || year === undefined)
    throw new ReportError(2, [...diagnostics, { code: 'SUM_EMPTY', severity: 'error', path: '$', message: '没有可以汇总的报告' }]);

  const numbers = sumNumbers(included, form);
  const blank = blankReport(agency, year);
  const report: Report = {
    format: form.format as Report['format'],
    agency,
    year,
    ...(options.title?.trim() ? { title: options.title.trim() } : {}),
    preface: blank.preface,
    overview: {
      intro: [overviewParagraph(agency, included.length, numbers)],
      sections: blank.overview.sections,
    },
    ...numbers,
    problems: [],
    other: blank.other,
  };
  diagnostics.push(...runRules(report, { previous: options.previous }));
  return { report, diagnostics, members: outcomes };
}
