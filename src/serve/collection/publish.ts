/**
 * What the office takes out of the collection for a year: the 汇总 of the approved reports (the
 * summary report and the workbook `xxgk sum` makes, through a summariser the door passes in — the
 * server may not import the sum feature), and the publication bundle: every approved or published
 * report as PDF, DOCX and HTML with an index page for the 年报专栏, as one zip.
 */
import { zipSync } from 'fflate';
import type { JobResult } from '../../app/job.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { Report } from '../../model/schema.js';
import type { Store, Unit } from '../../store/index.js';
import { parseBody } from './checks.js';
import { esc } from './guard.js';

export type Summariser = (
  members: { unit: string; report: Report }[],
  options: { agency: string; year: number },
) => Promise<{
  report: Report;
  diagnostics: Diagnostic[];
  xlsx: Uint8Array;
}>;

export interface ApprovedReport {
  unit: Unit;
  state: 'approved' | 'published';
  version: number;
  report: Report;
}

/** The approved (or published) version of each visible unit's report for a year, in unit order. */
export async function approvedReports(store: Store, units: readonly Unit[], year: number): Promise<ApprovedReport[]> {
  const out: ApprovedReport[] = [];
  for (const unit of units) {
    const r = await store.report(unit.id, year);
    if (!r || (r.state !== 'approved' && r.state !== 'published') || !r.approvedVersion) continue;
    const body = await store.version(r.id, r.approvedVersion);
    const parsed = body === undefined ? undefined : parseBody(body);
    if (parsed?.ok) out.push({ unit, state: r.state, version: r.approvedVersion, report: parsed.report });
  }
  return out;
}

/** A name safe as one zip entry / file name on every system. */
const fileName = (s: string) => s.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/gu, '_').slice(0, 120);

export async function publicationBundle(
  items: readonly ApprovedReport[],
  year: number,
  render: (report: Report, formats: readonly string[]) => Promise<JobResult>,
): Promise<{ zip: Uint8Array; problems: string[] }> {
  const files: Record<string, Uint8Array> = {};
  const rows: string[] = [];
  const problems: string[] = [];
  for (const item of items) {
    const folder = fileName(item.unit.name);
    const result = await render(item.report, ['pdf', 'docx', 'html']);
    if (!result.ok) {
      problems.push(`${item.unit.name}：${result.diagnostics.map((d) => d.message).join('；')}`);
      continue;
    }
    const links: string[] = [];
    for (const out of result.outputs) {
      const ext = out.name.slice(out.name.lastIndexOf('.'));
      const name = `${folder}/${fileName(`${item.unit.name}${year}年度政府信息公开工作年度报告`)}${ext}`;
      files[name] = out.bytes;
      links.push(`<a href="${esc(encodeURI(name))}">${esc(ext.slice(1).toUpperCase())}</a>`);
    }
    rows.push(`<tr><td>${esc(item.unit.name)}</td><td>${links.join(' ')}</td></tr>`);
  }
  const index = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${year}年度政府信息公开工作年度报告</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem .6rem;text-align:left}</style>
</head>
<body>
<h1>${year}年度政府信息公开工作年度报告</h1>
<table><thead><tr><th>单位</th><th>报告</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body>
</html>
`;
  files['index.html'] = new TextEncoder().encode(index);
  return { zip: zipSync(files, { level: 6 }), problems };
}
