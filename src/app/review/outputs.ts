/**
 * What `xxgk review` writes: review.json (everything, for other systems), review.xlsx (a sheet of
 * units, a sheet of findings, with filters and frozen headers) and review.html (one self-contained
 * page an office head reads without help: units worst first, each finding with its evidence).
 */
import type { Finding, ReviewResult, UnitStatus } from './review.js';

export interface ReviewMeta {
  /** What was reviewed, e.g. `2024 年度`. */
  title: string;
  /** The command line's inputs, for the record. */
  inputs: string[];
  previous: string[];
  roster?: string;
  deadline?: string;
  repeatThreshold: number;
}

export const STATUS_NAMES: Record<UnitStatus, string> = {
  missing: '未报送',
  unreadable: '无法读取',
  error: '有错误',
  warning: '有提示',
  ok: '未发现问题',
};

export const CODE_NAMES: Record<string, string> = {
  R1: '勾稽关系（表三 列）',
  R2: '勾稽关系（表三 总计）',
  R3: '勾稽关系（表三 行）',
  R4: '勾稽关系（表四）',
  R5: '跨年度：上年结转',
  R6: '跨年度：现行有效件数',
  R7: '数字格式',
  R8: '总体情况篇幅',
  PREVIOUS: '上年报告',
  FORMAT_YEAR: '格式与年度',
  TEXT_REPEAT: '与上年文字重复',
  CROSS_UNIT_COPY: '与其他单位文字相同',
  TEXT_TABLE: '文字与表格不一致',
  EMPTY_PART: '内容缺失或过简',
  PLAUSIBILITY: '数字异常提示',
  MISSING_UNIT: '未报送',
  UNKNOWN_UNIT: '不在名单中',
  AMBIGUOUS_UNIT: '单位无法确定',
  DUPLICATE_UNIT: '同一单位多份报告',
  LATE: '逾期发布',
  UNREADABLE: '无法读取',
};

export const codeName = (code: string): string => CODE_NAMES[code] ?? code;
const severityName = (s: Finding['severity']) => (s === 'error' ? '错误' : '提示');

export function reviewJson(result: ReviewResult, meta: ReviewMeta): string {
  return `${JSON.stringify({ ...meta, units: result.units, findings: result.findings }, null, 2)}\n`;
}

// ── Workbook ────────────────────────────────────────────────────────────────────────────────

export async function reviewWorkbook(result: ReviewResult, meta: ReviewMeta, date: Date): Promise<Uint8Array> {
  const { default: excel } = await import('exceljs');
  const wb = new excel.Workbook();
  wb.creator = 'xxgk review';
  wb.created = date;
  wb.modified = date;
  const header = (ws: import('exceljs').Worksheet, names: string[], widths: number[]) => {
    ws.columns = names.map((name, i) => ({ header: name, width: widths[i] }));
    const row = ws.getRow(1);
    row.font = { bold: true };
    row.alignment = { vertical: 'middle', horizontal: 'center' };
    row.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: names.length } };
  };
  const units = wb.addWorksheet('单位');
  header(units, ['单位', '名单中的名称', '状态', '错误', '提示', '文件', '上年报告'], [34, 28, 12, 8, 8, 40, 40]);
  for (const u of result.units)
    units.addRow([u.unit, u.rosterName ?? '', STATUS_NAMES[u.status], u.errors, u.warnings, u.file, u.previousFile ?? '']);
  const findings = wb.addWorksheet('问题');
  header(findings, ['单位', '文件', '代码', '类别', '级别', '位置', '说明'], [30, 34, 16, 18, 8, 36, 90]);
  for (const f of result.findings) {
    const row = findings.addRow([f.unit, f.file, f.code, codeName(f.code), severityName(f.severity), f.where, f.message]);
    row.getCell(7).alignment = { wrapText: true, vertical: 'top' };
  }
  const about = wb.addWorksheet('说明');
  about.columns = [{ width: 16 }, { width: 100 }];
  for (const [k, v] of [
    ['审核范围', meta.title],
    ['本年报告', meta.inputs.join('；')],
    ['上年报告', meta.previous.join('；') || '（未提供）'],
    ['单位名单', meta.roster ?? '（未提供）'],
    ['截止日期', meta.deadline ?? '各报告年度次年 1 月 31 日'],
    ['重复比例上限', `${Math.round(meta.repeatThreshold * 100)}%`],
  ])
    about.addRow([k, v]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

// ── HTML page ───────────────────────────────────────────────────────────────────────────────

const esc = (s: string) => s.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);

/** Text with the repeated passages marked. */
function marked(text: string, passages: readonly string[]): string {
  let html = esc(text);
  for (const p of passages) if (p) html = html.split(esc(p)).join(`<mark>${esc(p)}</mark>`);
  return html;
}

function evidenceHtml(f: Finding): string {
  const e = f.evidence;
  if (!e) return '';
  if (e.kind === 'numbers')
    return `<dl class="ev"><dt>文字</dt><dd>“${esc(e.phrase)}”：<b>${e.text}</b></dd><dt>表格</dt><dd>${esc(e.cell)}：<b>${e.table}</b></dd></dl>`;
  if (e.kind === 'counts') return '';
  const items = e.passages.map((p) => `<blockquote>${marked(p.text, [p.text])}</blockquote>`).join('');
  const who = e.otherUnit ? `<p class="small">相同的文字也出现在：${esc(e.otherUnit)}（${esc(e.otherFile ?? '')}）</p>` : '';
  return `<div class="ev"><p class="small">${e.share !== undefined ? '重复的段落（节选）：' : '相同的段落：'}</p>${items}${who}</div>`;
}

const STYLE = `
:root{color-scheme:light}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.6}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.5em 0}
h2{font-size:1.2rem;margin:1.5em 0 .5em;border-bottom:2px solid #1f4e79;padding-bottom:4px}
h3{font-size:1.05rem;margin:0}
.summary{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0;padding:0;list-style:none}
.summary li{border:1px solid #bbb;border-radius:6px;padding:6px 12px;background:#f7f7f7}
.summary b{font-size:1.2rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#dce6f1}
.table-wrap{overflow-x:auto}
td.nw,th.nw{white-space:nowrap}
@media (max-width:600px){.col-file{display:none}main{padding:10px}}
.st-missing,.st-unreadable,.st-error{color:#9c0006;font-weight:bold}
.st-warning{color:#7a4f00}
.st-ok{color:#1e6b2f}
section.unit{border:1px solid #ccc;border-radius:6px;margin:12px 0;padding:10px 14px;break-inside:avoid-page}
section.unit header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:baseline}
.small{font-size:.9rem;color:#444;margin:.3em 0}
ol.findings{padding-left:1.4em;margin:.5em 0}
ol.findings li{margin:.5em 0}
.sev{display:inline-block;min-width:2.5em;text-align:center;border-radius:3px;padding:0 4px;margin-right:4px;font-size:.85rem;color:#fff}
.sev-error{background:#9c0006}
.sev-warning{background:#7a4f00}
.code{font-family:monospace;font-size:.85rem;color:#444}
mark{background:#ffe08a;color:inherit}
blockquote{margin:.3em 0;padding:.3em .8em;border-left:4px solid #e0b000;background:#fffbea}
dl.ev{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:.3em 0}
dl.ev dt{color:#444}
dl.ev dd{margin:0}
@media print{main{max-width:none;padding:0}a{color:inherit;text-decoration:none}section.unit{border-color:#999}}
`;

export function reviewHtml(result: ReviewResult, meta: ReviewMeta): string {
  const counts = (s: UnitStatus) => result.units.filter((u) => u.status === s).length;
  const summary = (['missing', 'unreadable', 'error', 'warning', 'ok'] as UnitStatus[])
    .map((s) => `<li>${STATUS_NAMES[s]} <b class="st-${s}">${counts(s)}</b> 个</li>`)
    .join('');
  const rows = result.units
    .map(
      (u, i) =>
        `<tr><td class="nw">${i + 1}</td><td><a href="#u${i + 1}">${esc(u.unit)}</a></td><td class="nw st-${u.status}">${STATUS_NAMES[u.status]}</td><td class="nw">${u.errors}</td><td class="nw">${u.warnings}</td><td class="col-file">${esc(u.file || '—')}</td></tr>`,
    )
    .join('');
  const sections = result.units
    .map((u, i) => {
      const own = result.findings.filter((f) => f.unit === u.unit && (f.file === u.file || f.file === ''));
      const items = own
        .map(
          (f) =>
            `<li><span class="sev sev-${f.severity}">${severityName(f.severity)}</span><b>${esc(codeName(f.code))}</b> <span class="code">${esc(f.code)}</span><br><span class="small">位置：${esc(f.where)}</span><br>${esc(f.message)}${evidenceHtml(f)}</li>`,
        )
        .join('');
      return `<section class="unit" id="u${i + 1}" aria-labelledby="h${i + 1}"><header><h3 id="h${i + 1}">${i + 1}. ${esc(u.unit)}</h3><span class="st-${u.status}">${STATUS_NAMES[u.status]}</span><span class="small">错误 ${u.errors} 个，提示 ${u.warnings} 个</span></header><p class="small">文件：${esc(u.file || '（没有报告）')}${u.previousFile ? `；上年报告：${esc(u.previousFile)}` : ''}</p>${items ? `<ol class="findings">${items}</ol>` : '<p class="small">未发现问题。</p>'}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(meta.title)} 政府信息公开工作年度报告审核结果</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(meta.title)} 政府信息公开工作年度报告审核结果</h1>
<p class="small">共 ${result.units.length} 个单位；“错误”须改正后重新发布，“提示”请核实。截止日期：${esc(meta.deadline ?? '各报告年度次年 1 月 31 日')}；与上年文字重复比例上限 ${Math.round(meta.repeatThreshold * 100)}%。</p>
<ul class="summary">${summary}</ul>
<h2>各单位情况</h2>
<div class="table-wrap"><table><thead><tr><th scope="col" class="nw">序号</th><th scope="col">单位</th><th scope="col" class="nw">状态</th><th scope="col" class="nw">错误</th><th scope="col" class="nw">提示</th><th scope="col" class="col-file">文件</th></tr></thead><tbody>${rows}</tbody></table></div>
<h2>问题明细</h2>
${sections}
</main></body></html>
`;
}
