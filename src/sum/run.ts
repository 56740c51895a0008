/**
 * `xxgk sum` and `xxgk batch --xlsx` as library calls: find and check the members, decide who is
 * summed, build the summary and the workbook in memory. The CLI prints and writes; nothing here
 * touches the output until everything is ready.
 */
import { basename } from 'node:path';
import { batchSources, type BatchReport } from '../batch/index.js';
import { checkGlyphs } from '../app/check.js';
import { hasErrors, ReportError, type Diagnostic } from '../diagnostics.js';
import { loadFontSet, type FontConfig } from '../fonts/index.js';
import { formFor } from '../../layouts/index.js';
import { parseReportValue } from '../model/load.js';
import type { Report } from '../model/schema.js';
import { loadReport } from '../app/files.js';
import { collectMemberFiles, displayName, loadMember, type Member } from './members.js';
import { classifyMembers, sumReports, type SumResult } from './sum.js';
import { writeWorkbook, type WorkbookMember } from './workbook.js';

export interface SumCommandOptions {
  agency: string;
  /** The summary JSON file to write. */
  out: string;
  xlsx?: string;
  title?: string;
  year?: number;
  draft?: boolean;
  /** Last year's summary file. */
  previous?: string;
  fonts?: FontConfig;
}

export type PlannedStatus = 'included' | 'included-with-errors' | 'unreadable' | 'other-year' | 'other-format' | 'duplicate';

export interface PlannedMember extends Member {
  status: PlannedStatus;
  /** Why a member is left out (Chinese). */
  reason?: string;
}

export interface SumPlan {
  members: PlannedMember[];
  /** Absent when no member could be summed. */
  result?: SumResult;
  /** Findings on the summary itself: cross-year rules, glyphs, and why nothing could be summed. */
  summaryDiagnostics: Diagnostic[];
  /** Everything is in order: every member summed without error, the summary without error. */
  ok: boolean;
  json?: Uint8Array;
  xlsx?: Uint8Array;
}

const STATUS_REASON: Partial<Record<PlannedStatus, string>> = { unreadable: '无法读取' };

/** A member as people name it: `各单位/a.json（某某局）`. */
export const memberLabel = (m: Member): string => (m.report ? `${m.name}（${m.report.agency.trim()}）` : m.name);

async function readPrevious(file: string): Promise<Report> {
  try {
    return await loadReport(file);
  } catch (e) {
    if (e instanceof ReportError)
      throw new ReportError(
        'input',
        e.diagnostics.map((d) => ({ ...d, message: `上年汇总报告 ${file}：${d.message}` })),
        file,
      );
    throw e;
  }
}

/** The summary as a file: the model's field order, totals written out. */
export const summaryJson = (report: Report): Uint8Array => new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`);

/**
 * Load, check and sum the members under `paths`; build the summary and the workbook. Throws
 * ReportError: kind input for bad arguments (no member file, last year's summary unreadable), rule
 * when a sum overflows.
 */
export async function planSum(paths: string[], options: SumCommandOptions): Promise<SumPlan> {
  const files = collectMemberFiles(paths, [options.out, options.xlsx, options.previous]);
  if (!files.length)
    throw new ReportError('input', [
      { code: 'ARGS', severity: 'error', path: '$', message: '没有找到成员报告（文件夹中的 *.json 文件，或直接列出的报告文件）' },
    ]);
  const previous = options.previous ? await readPrevious(options.previous) : undefined;
  const members: PlannedMember[] = [];
  // One member at a time: the importer's PDF reader is memory-hungry, and members are few.
  for (const f of files) members.push({ ...(await loadMember(f, { fonts: options.fonts })), status: 'unreadable' as PlannedStatus });
  const readable = members.filter((m) => m.report);
  const summaryDiagnostics: Diagnostic[] = [];
  const list = readable.map((m) => ({ report: m.report!, file: m.name }));
  const { outcomes } = classifyMembers(list, { year: options.year });
  readable.forEach((m, i) => {
    m.status = outcomes[i]!.status;
    if (outcomes[i]!.reason) m.reason = outcomes[i]!.reason;
  });
  let result: SumResult | undefined;
  if (outcomes.some((o) => o.status === 'included')) {
    result = sumReports(list, { agency: options.agency, year: options.year, title: options.title, previous });
    summaryDiagnostics.push(
      ...result.diagnostics.filter((d) => d.code !== 'SUM_MEMBER'),
      ...checkGlyphs(result.report, formFor(result.report.format), loadFontSet(options.fonts)),
    );
    // The summary is a report like any other: it must read back through the schema.
    const back = parseReportValue(JSON.parse(JSON.stringify(result.report)));
    if (!back.ok)
      throw new ReportError(
        'input',
        back.diagnostics.map((d) => ({ ...d, message: `汇总报告：${d.message}` })),
      );
  } else summaryDiagnostics.push({ code: 'SUM_EMPTY', severity: 'error', path: '$', message: '没有可以汇总的报告' });
  for (const m of members) {
    if (m.status === 'included' && hasErrors(m.diagnostics)) m.status = 'included-with-errors';
    m.reason ??= STATUS_REASON[m.status];
  }
  const ok = Boolean(result) && members.every((m) => m.status === 'included') && !hasErrors(summaryDiagnostics);
  const plan: SumPlan = { members, result, summaryDiagnostics, ok };
  if (!result || (!ok && !options.draft)) return plan;
  plan.json = summaryJson(result.report);
  if (options.xlsx) {
    const title = result.report.title ?? `${result.report.agency}${result.report.year}年度政府信息公开工作年度报告汇总`;
    plan.xlsx = await writeWorkbook(members.map(toWorkbookMember), {
      title,
      command: 'xxgk sum',
      year: result.report.year,
      draft: !ok,
      summary: { name: displayName(options.out), agency: result.report.agency, diagnostics: summaryDiagnostics },
    });
  }
  return plan;
}

function toWorkbookMember(m: PlannedMember): WorkbookMember {
  return {
    name: m.name,
    report: m.report,
    sha256: m.sha256,
    diagnostics: m.diagnostics,
    included: m.status === 'included' || m.status === 'included-with-errors',
    reason: m.reason,
  };
}

/**
 * The workbook for a batch: every input that parsed has its row; each input's findings are the
 * batch's own (batch-report.json), so nothing is checked twice.
 */
export async function batchWorkbook(inputs: string[], report: BatchReport): Promise<Uint8Array> {
  const entries = new Map(report.entries.map((e) => [e.input, e]));
  const sources = batchSources.get(report);
  const loaded: Member[] = [];
  for (const input of inputs) {
    // A report the batch rendered is shown as the batch read it; only the others are read (for why they failed).
    const source = sources?.get(input);
    loaded.push(source ? { file: input, name: displayName(input), diagnostics: [], ...source } : await loadMember(input, { check: false }));
  }
  const members: WorkbookMember[] = inputs.map((input, i) => {
    const m = loaded[i]!;
    const entry = entries.get(input);
    const diagnostics = entry && entry.status !== 'not-started' ? entry.diagnostics : m.diagnostics;
    return {
      name: m.name,
      report: m.report,
      sha256: m.sha256,
      diagnostics,
      included: Boolean(m.report),
      reason: m.report ? undefined : '无法读取',
    };
  });
  const n = members.filter((m) => m.report).length;
  return writeWorkbook(members, { title: `xxgk batch ${basename(report.out)}：${n} 份报告`, command: 'xxgk batch' });
}
