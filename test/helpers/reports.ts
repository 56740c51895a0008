import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { blankReport } from '../../src/model/blank.js';
import { parseReportValue } from '../../src/model/load.js';
import type { Report } from '../../src/model/schema.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = `${ROOT}dist/cli/xxgk.js`;

export const readJson = (rel: string): Record<string, any> => JSON.parse(readFileSync(`${ROOT}${rel}`, 'utf8'));

/** A blank (all-zero) report as plain JSON, to mutate in tests. */
export const blank = (agency = '测试县人民政府', year = 2024): Record<string, any> => JSON.parse(JSON.stringify(blankReport(agency, year)));

export function parsed(json: unknown): Report {
  const r = parseReportValue(json);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.report;
}

export function runCli(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd ?? ROOT, input: options.input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
