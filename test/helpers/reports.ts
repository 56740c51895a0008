import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { blankReport } from '../../src/model/blank.js';
import { parseReportValue } from '../../src/model/load.js';
import type { Report } from '../../src/model/schema.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${ROOT}dist/cli/xxgk.js`;

export const readJson = (rel: string): Record<string, any> => JSON.parse(readFileSync(`${ROOT}${rel}`, 'utf8'));

const zeroTotals = (o: any): void => {
  for (const v of Object.values(o)) if (v && typeof v === 'object') zeroTotals(v);
  if (typeof o.naturalPerson === 'number' || typeof o.upheld === 'number') o.total = 0;
};

/**
 * A blank (all-zero) report with its text written, as plain JSON, to mutate in tests: every total
 * given as 0, the fee reported, each section of 一 and 五 one short paragraph — a report that passes every rule as it
 * is (the blank of `xxgk init` leaves the text to the clerk and the totals to the program, and does
 * not pass EMPTY_TEXT until the text is written).
 */
export const blank = (agency = '测试县人民政府', year = 2024): Record<string, any> => {
  const b = JSON.parse(JSON.stringify(blankReport(agency, year)));
  const { received, carriedOver, ...handled } = b.applications;
  const { carriedForward, ...results } = handled;
  b.applications = { received, carriedOver, ...results, total: {}, carriedForward };
  for (const k of Object.keys(b.applications.received)) b.applications.total[k] = 0;
  zeroTotals(b.applications);
  zeroTotals(b.reviewsAndLawsuits);
  for (const section of b.overview.sections) section.paragraphs = ['略。'];
  b.problems = ['无。'];
  b.other[0].paragraphs = [`${year}年度，本机关未收取信息处理费。`];
  return b;
};

export function parsed(json: unknown): Report {
  const r = parseReportValue(json);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.report;
}

export function runCli(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd ?? ROOT, input: options.input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
