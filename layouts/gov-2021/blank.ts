/**
 * A complete blank gov-2021 report for a clerk to fill in (`xxgk init`, the editor, the skeleton
 * of `init --from`). It writes no 总计: totals are computed from their parts (a given one is
 * checked, and a stale one would be 14 false errors once the clerk fills in the numbers), and
 * the （七）总计 row is left out for the same reason. It states nothing that may be false: the
 * information-processing fee is a heading with no sentence under it until the clerk writes one.
 */
import { applicants, documentColumns, documentRows, outcomeBlocks, outcomes, table3Groups, table3Rows } from './form.js';
import type { ReportInput } from './schema.js';

const zeros = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, 0]));

export function blankReport(agency: string, year: number): ReportInput {
  const applications = Object.fromEntries(
    table3Rows
      .filter((key) => key !== 'total')
      .map((key) => [
        key,
        key in table3Groups
          ? Object.fromEntries(table3Groups[key as keyof typeof table3Groups][1].map(([leaf]) => [leaf, zeros(applicants)]))
          : zeros(applicants),
      ]),
  );
  return {
    format: 'gov-2021',
    agency,
    year,
    preface: [
      `本报告由${agency}按照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。`,
      `本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
    ],
    overview: {
      intro: [],
      sections: ['主动公开', '依申请公开', '政府信息管理', '政府信息公开平台建设', '监督保障'].map((heading) => ({
        heading,
        paragraphs: [],
      })),
    },
    proactive: {
      ...Object.fromEntries(documentRows.map(([key]) => [key, zeros(documentColumns)])),
      licensing: 0,
      punishment: 0,
      enforcement: 0,
      fees: '0',
    },
    applications,
    reviewsAndLawsuits: Object.fromEntries(outcomeBlocks.map((key) => [key, zeros(outcomes)])),
    problems: [],
    other: [{ heading: '依据《政府信息公开信息处理费管理办法》收取信息处理费的情况', paragraphs: [] }],
  } as unknown as ReportInput;
}
