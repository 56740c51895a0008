/** R5, R6 and the check that "last year's report" really is last year's. */
import { columnLabel } from '../model/labels.js';
import { APPLICANTS, cell, type ApplicantColumn } from '../model/resolve.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from './rule.js';

const COLUMNS: ApplicantColumn[] = [...APPLICANTS, 'total'];

export const previousYear: Rule = {
  code: 'PREVIOUS',
  description: '上年报告须为上一年度、同一格式、同一机关',
  check({ report, previous }) {
    if (!previous) return [];
    const out: Diagnostic[] = [];
    if (previous.year !== report.year - 1)
      out.push({
        code: 'PREVIOUS',
        severity: 'error',
        path: 'year',
        message: `上年报告的报告年度为 ${previous.year} 年，应为 ${report.year - 1} 年（本报告为 ${report.year} 年）`,
      });
    if (previous.format !== report.format)
      out.push({
        code: 'PREVIOUS',
        severity: 'error',
        path: 'format',
        message: `上年报告的格式为 ${previous.format}，本报告为 ${report.format}：跨年度核对需要同一格式的报告`,
      });
    if (previous.agency.trim() !== report.agency.trim())
      out.push({
        code: 'PREVIOUS',
        severity: 'warning',
        path: 'agency',
        message: `上年报告的机关名称为“${previous.agency}”，本报告为“${report.agency}”：请确认是同一机关`,
      });
    return out;
  },
};

/** Cross-year rules only make sense when the previous report is the right one. */
const comparable = (ctx: Parameters<Rule['check']>[0]) =>
  ctx.previous && ctx.previous.year === ctx.report.year - 1 && ctx.previous.format === ctx.report.format ? ctx.previous : undefined;

export const r5CarryOver: Rule = {
  code: 'R5',
  description: '表三 每一列：本年“二、上年结转” = 上年“四、结转下年度继续办理”',
  check(ctx) {
    const previous = comparable(ctx);
    if (!previous) return [];
    const now = ctx.report.applications.carriedOver;
    const then = previous.applications.carriedForward;
    return COLUMNS.flatMap((col): Diagnostic[] => {
      if (cell(now, col) === cell(then, col)) return [];
      return [
        {
          code: 'R5',
          severity: 'error',
          path: `applications.carriedOver.${col}`,
          message:
            `表三 ${columnLabel(ctx.form, `applications.carriedOver.${col}`)} 列：本年“二、上年结转政府信息公开申请数量” ${cell(now, col)}` +
            ` ≠ ${previous.year}年报告“四、结转下年度继续办理” ${cell(then, col)}`,
        },
      ];
    });
  },
};

export const r6InForce: Rule = {
  code: 'R6',
  description: '表二：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数（仅提示）',
  check(ctx) {
    const previous = comparable(ctx);
    if (!previous) return [];
    return (['regulations', 'normativeDocuments'] as const).flatMap((key): Diagnostic[] => {
      const now = ctx.report.proactive[key];
      const before = previous.proactive[key].inForce;
      const expected = before + now.issued - now.repealed;
      if (now.inForce === expected) return [];
      const name = key === 'regulations' ? '规章' : '行政规范性文件';
      return [
        {
          code: 'R6',
          severity: 'warning',
          path: `proactive.${key}.inForce`,
          message:
            `表二 ${name}：现行有效件数 ${now.inForce} ≠ 上年现行有效件数 ${before} + 本年制发件数 ${now.issued} − 本年废止件数 ${now.repealed} = ${expected}` +
            `（清理后重新统计的，可忽略此提示）`,
        },
      ];
    });
  },
};
