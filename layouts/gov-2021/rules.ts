/** The rules of gov-2021 that are not sums: R8 and the checks of the prose and the year. */
import type { Finding, FormatRule } from '../../src/form/spec.js';
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

/** A heading alone does not report the fee: a paragraph under it must (a blank report's heading says nothing yet). */
export const feeSection: FormatRule = {
  code: 'FEE_SECTION',
  description: '六、其他需要报告的事项 须报告收取信息处理费的情况（仅提示）',
  check({ report }) {
    const mentioned = (report as Report).other.some((s) => s.paragraphs.some((t) => t.includes('信息处理费')));
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

const isEmpty = (paragraphs: readonly string[] | undefined) => !(paragraphs ?? []).some((p) => p.trim() !== '');

/**
 * Text parts with no text: a part with no paragraph at all (一 with every section empty, 五 empty)
 * is an error — a final report must not print bare headings; a draft may (it renders with the
 * error) —, a single section with a heading and no text is a warning naming it (published reports
 * do have them).
 */
export const emptyText: FormatRule = {
  code: 'EMPTY_TEXT',
  description: '正文各部分（一、五、六）须有文字；只有小标题没有文字的小节提示',
  check({ report, form }) {
    const out: Finding[] = [];
    const r = report as unknown as Record<string, unknown>;
    const at = (path: string) =>
      path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r);
    for (const part of form.parts) {
      if (!part.paragraphs && !part.sections) continue;
      const intro = part.paragraphs ? (at(part.paragraphs) as string[] | undefined) : undefined;
      const sections = part.sections ? ((at(part.sections) as { heading: string; paragraphs: string[] }[] | undefined) ?? []) : [];
      const empty = sections.map((s, i) => ({ s, i })).filter(({ s }) => isEmpty(s.paragraphs));
      if (isEmpty(intro) && empty.length === sections.length) {
        out.push({
          code: 'EMPTY_TEXT',
          severity: 'error',
          path: part.sections && sections.length ? part.sections : (part.paragraphs ?? part.field),
          message: `${part.heading} 没有任何文字：正式报告须填写这一部分（草稿可以暂时空着）`,
        });
        continue;
      }
      for (const { s, i } of empty)
        out.push({
          code: 'EMPTY_SECTION',
          severity: 'warning',
          path: `${part.sections}[${i}].paragraphs`,
          message: `${part.heading} ${form.subsectionNumber(i)}${s.heading} 只有小标题，没有文字：请补充，或删除这一小节`,
        });
    }
    return out;
  },
};

/** The preface still has the blank's gap where the agency goes (「本报告由按照…」). */
export const prefaceAgency: FormatRule = {
  code: 'PREFACE_AGENCY',
  description: '前言中不应缺少机关名称（“本报告由按照…”）',
  check({ report }) {
    const i = (report as Report).preface.findIndex((p) => /由\s*按照/.test(p));
    if (i < 0) return [];
    return [
      {
        code: 'PREFACE_AGENCY',
        severity: 'warning',
        path: `preface[${i}]`,
        message: `前言第 ${i + 1} 段“本报告由按照……”缺少机关名称：请在“由”和“按照”之间填写编制本报告的机关`,
      },
    ];
  },
};

export const rules: FormatRule[] = [r8OverviewLength, formatYear, feeSection, emptyText, prefaceAgency];
