/** The rules of gov-2021 that are not sums: R8 and the checks of the prose and the year. */
import type { FormatRule } from '../../src/form/spec.js';
import type { Report } from './schema.js';

export const OVERVIEW_SOFT_LIMIT = 1000;

const chars = (s: string) => [...s.replace(/\s/gu, '')].length;

export const r8OverviewLength: FormatRule = {
  code: 'R8',
  description: '一、总体情况 一般不超过约 1000 字（仅提示）',
  check({ report }) {
    const o = (report as Report).overview;
    const n = [...(o.intro ?? []), ...o.sections.flatMap((s) => [s.heading, ...s.paragraphs])].reduce((s, p) => s + chars(p), 0);
    if (n <= OVERVIEW_SOFT_LIMIT) return [];
    return [
      {
        code: 'R8',
        severity: 'warning',
        path: 'overview',
        message: `一、总体情况 共 ${n} 字，超过约 ${OVERVIEW_SOFT_LIMIT} 字的篇幅要求，建议精简`,
      },
    ];
  },
};

export const formatYear: FormatRule = {
  code: 'FORMAT_YEAR',
  description: 'gov-2021 格式用于 2021 年度及以后的报告',
  check({ report }) {
    if (report.year >= 2021) return [];
    return [
      {
        code: 'FORMAT_YEAR',
        severity: 'warning',
        path: 'year',
        message: `报告年度 ${report.year} 年早于 2021 年：国办公开办函〔2021〕30号格式自 2021 年度报告起使用，此前年度适用〔2019〕60号格式`,
      },
    ];
  },
};

export const feeSection: FormatRule = {
  code: 'FEE_SECTION',
  description: '六、其他需要报告的事项 须报告收取信息处理费的情况（仅提示）',
  check({ report }) {
    const mentioned = (report as Report).other.some((s) => [s.heading, ...s.paragraphs].some((t) => t.includes('信息处理费')));
    if (mentioned) return [];
    return [
      {
        code: 'FEE_SECTION',
        severity: 'warning',
        path: 'other',
        message:
          '六、其他需要报告的事项 中没有找到收取信息处理费的情况：按要求须在此报告（如“依据《政府信息公开信息处理费管理办法》收取信息处理费的情况”）',
      },
    ];
  },
};

export const rules: FormatRule[] = [r8OverviewLength, formatYear, feeSection];
