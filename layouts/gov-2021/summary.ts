/** The generated paragraph of a gov-2021 summary report (汇总, `xxgk sum`). */
import type { AnyReport } from '../../src/form/spec.js';
import type { Report } from './schema.js';

/** 全市、全县、全区…: the scope of a summarising body from its name, or nothing when it does not say. */
export function scopeOf(agency: string): string {
  const m = /(自治区|省|自治州|市|州|盟|自治县|县|区|旗)(?:人民政府|政府|$)/u.exec(agency.trim());
  if (!m) return '';
  const level = m[1]!;
  return `全${level.length > 1 ? level.slice(-1) : level}`;
}

/** The numbers of Tables 2–4 of a report. */
export type Numbers = Pick<Report, 'proactive' | 'applications' | 'reviewsAndLawsuits'>;

/** The generated first paragraph of 一、总体情况: the members' count and the main totals. */
export function overviewParagraph(agency: string, count: number, sums: Numbers | AnyReport): string {
  const n = sums as Numbers;
  const a = n.applications;
  const received = a.received.total ?? 0;
  const carried = a.carriedOver.total ?? 0;
  const lawsuits = (n.reviewsAndLawsuits.lawsuitDirect.total ?? 0) + (n.reviewsAndLawsuits.lawsuitAfterReview.total ?? 0);
  return (
    `本报告汇总了${scopeOf(agency)}${count}个单位的政府信息公开工作年度报告。` +
    `全年共制发规章${n.proactive.regulations.issued}件、行政规范性文件${n.proactive.normativeDocuments.issued}件；` +
    `共受理政府信息公开申请${received + carried}件（本年新收${received}件，上年结转${carried}件），` +
    `办结${a.total?.total ?? 0}件，结转下年度继续办理${a.carriedForward.total ?? 0}件；` +
    `因政府信息公开被申请行政复议${n.reviewsAndLawsuits.review.total ?? 0}件，被提起行政诉讼${lawsuits}件。`
  );
}
