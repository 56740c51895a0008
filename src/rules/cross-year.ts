/** The check that "last year's report" really is last year's (the carries themselves are the format's: sums.ts). */
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from './rule.js';

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
