/**
 * Computed totals: a `total` the user omitted is computed; one the user gave is kept as given
 * (the rules check it, it is never silently replaced).
 */
import type { Applications, Outcome, Report, Row } from './schema.js';

export type FullRow = Row & { total: number };
export type FullOutcome = Outcome & { total: number };

type Full<T> = { [K in keyof T]-?: T[K] extends Row | undefined ? FullRow : T[K] extends object ? Full<T[K]> : T[K] };

export type ResolvedApplications = Full<Applications>;
export type ResolvedReport = Omit<Report, 'title' | 'applications' | 'reviewsAndLawsuits'> & {
  title: string;
  applications: ResolvedApplications;
  reviewsAndLawsuits: { review: FullOutcome; lawsuitDirect: FullOutcome; lawsuitAfterReview: FullOutcome };
};

export const APPLICANTS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'] as const;
export type Applicant = (typeof APPLICANTS)[number];
export type ApplicantColumn = Applicant | 'total';

export const rowSum = (row: Row): number => APPLICANTS.reduce((s, k) => s + row[k], 0);
export const outcomeSum = (o: Outcome): number => o.upheld + o.corrected + o.other + o.pending;

const fullRow = (row: Row): FullRow => ({ ...row, total: row.total ?? rowSum(row) });
const fullOutcome = (o: Outcome): FullOutcome => ({ ...o, total: o.total ?? outcomeSum(o) });

/** The 21 leaf rows of 三、本年度办理结果, in the order of Table 3. */
export function leafRows<R extends Row>(a: {
  granted: R;
  partiallyGranted: R;
  denied: Record<string, R>;
  unableToProvide: Record<string, R>;
  notProcessed: Record<string, R>;
  otherHandling: Record<string, R>;
}): R[] {
  return [
    a.granted,
    a.partiallyGranted,
    ...Object.values(a.denied),
    ...Object.values(a.unableToProvide),
    ...Object.values(a.notProcessed),
    ...Object.values(a.otherHandling),
  ];
}

/** The value of one column of a row, the 总计 column computed when omitted. */
export const cell = (row: Row, col: ApplicantColumn): number => (col === 'total' ? (row.total ?? rowSum(row)) : row[col]);

/** （七）总计 as the sum of the leaf rows, column by column (its own 总计 = the sum of its columns). */
export function leafTotal(a: Applications): Row {
  const leaves = leafRows(a);
  const row = Object.fromEntries(APPLICANTS.map((k) => [k, leaves.reduce((s, r) => s + r[k], 0)])) as Row;
  return row;
}

const mapValues = <T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

export function resolve(report: Report, defaultTitle: (agency: string, year: number) => string): ResolvedReport {
  const a = report.applications;
  const applications = {
    received: fullRow(a.received),
    carriedOver: fullRow(a.carriedOver),
    granted: fullRow(a.granted),
    partiallyGranted: fullRow(a.partiallyGranted),
    denied: mapValues(a.denied, fullRow),
    unableToProvide: mapValues(a.unableToProvide, fullRow),
    notProcessed: mapValues(a.notProcessed, fullRow),
    otherHandling: mapValues(a.otherHandling, fullRow),
    total: fullRow(a.total ?? leafTotal(a)),
    carriedForward: fullRow(a.carriedForward),
  } as ResolvedApplications;
  const r = report.reviewsAndLawsuits;
  return {
    ...report,
    title: report.title ?? defaultTitle(report.agency, report.year),
    applications,
    reviewsAndLawsuits: {
      review: fullOutcome(r.review),
      lawsuitDirect: fullOutcome(r.lawsuitDirect),
      lawsuitAfterReview: fullOutcome(r.lawsuitAfterReview),
    },
  };
}
