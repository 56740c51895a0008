/**
 * Numbers that a report's text states about what its tables count: 「全年新收政府信息公开申请417件」,
 * 「上年结转15件」, 「制发规章2件、行政规范性文件25件」. Each statement is read for what it counts
 * before it is compared with a table:
 *
 * - only counts in 件 (applications, cases, documents); 条 (information items), 人次, 篇 are other things;
 * - applications only in a sentence about applications (申请), never one about the 12345 hotline,
 *   letters, petitions or deputies' proposals (建议, 提案), which are not 政府信息公开申请;
 * - 办结 (concluded) is （七）总计, never 本年新收; 上年结转 and 结转下年度 are their own rows;
 * - a number for a wider or narrower scope (全市, 全县, 各部门, 其中 …) or another year (上年, 同比,
 *   较 2023 年) is not the table's and is skipped;
 * - documents (规章, 行政规范性文件) need a verb saying what was counted: 制发/印发 (本年制发件数),
 *   废止 (本年废止件数), 现行有效 (现行有效件数).
 *
 * Anything not read with confidence is left alone: the review must not report a contradiction the
 * text does not make.
 */

export type Measure =
  | 'received'
  | 'carriedOver'
  | 'concluded'
  | 'carriedForward'
  | 'granted'
  | 'partiallyGranted'
  | 'denied'
  | 'unableToProvide'
  | 'notProcessed'
  | 'otherHandling'
  | 'review'
  | 'lawsuit'
  | 'regulationsIssued'
  | 'regulationsRepealed'
  | 'regulationsInForce'
  | 'normativeIssued'
  | 'normativeRepealed'
  | 'normativeInForce';

export interface Statement {
  measure: Measure;
  value: number;
  /** The words as printed, from the start of the item to 件. */
  phrase: string;
  /** 「收到申请417件（含上年结转15件）」: the number may count 本年新收 and 上年结转 together. */
  withCarriedOver?: boolean;
}

/** Sentences about something other than information-disclosure applications. */
const OTHER_SUBJECT = /12345|热线|信箱|留言|诉求|来电|来信|信访|建议|提案|咨询|投诉|举报/u;
/** A scope other than the reporting body's own, or another period. */
const OTHER_SCOPE =
  /全市|全县|全区|全省|全镇|全乡|各级|各部门|各单位|各镇|各乡|各县|县区|市本级|系统|其中|上年|去年|上一年|同比|较|比|前年/u;

const OUTCOMES: [RegExp, Measure][] = [
  [/部分公开/u, 'partiallyGranted'],
  [/不予公开/u, 'denied'],
  [/予以公开|同意公开|全部公开/u, 'granted'],
  [/无法提供/u, 'unableToProvide'],
  [/不予处理/u, 'notProcessed'],
  [/其他处理/u, 'otherHandling'],
];

const VERBS: [RegExp, 'Issued' | 'Repealed' | 'InForce'][] = [
  [/现行有效/u, 'InForce'],
  [/废止|失效|宣布失效/u, 'Repealed'],
  [/制发|印发|出台|制定|发布/u, 'Issued'],
];

/** A count followed by 件 (ASCII digits after NFKC; thousands separators allowed). */
const COUNT = /(\d{1,3}(?:,\d{3})+|\d+)\s*件/gu;

/** Every statement of a paragraph of the report for `year`, in order. */
export function statementsOf(paragraph: string, year: number): Statement[] {
  const text = paragraph.normalize('NFKC');
  const out: Statement[] = [];
  for (const sentence of text.split(/[。！？；;!?]/u)) {
    if (!COUNT.test(sentence)) continue;
    COUNT.lastIndex = 0;
    const applications = /申请/u.test(sentence) && !OTHER_SUBJECT.test(sentence);
    // 「全年办结415件，其中予以公开167件…」 follows a sentence about applications.
    const outcomes = applications || (/办结/u.test(sentence) && !OTHER_SUBJECT.test(sentence));
    let verb: 'Issued' | 'Repealed' | 'InForce' | undefined;
    for (const clause of sentence.split(/[，,：:（）()]/u)) {
      const clauseVerb = VERBS.find(([re]) => re.test(clause))?.[1];
      if (clauseVerb) verb = clauseVerb;
      let from = 0;
      for (const m of clause.matchAll(COUNT)) {
        const label = clause.slice(from, m.index);
        const phrase = clause.slice(from, m.index + m[0].length).replace(/^[、和及与]/u, '');
        from = m.index + m[0].length;
        const value = Number(m[1]!.replace(/,/gu, ''));
        // The verb of this item, if the item itself names one (废止规章1件 after 制发…).
        const itemVerb = VERBS.find(([re]) => re.test(label))?.[1] ?? verb;
        // A number of another year (较2023年…, 2023年收到…) is not this report's.
        const years = [...label.matchAll(/(\d{4})年/gu)].map((y) => Number(y[1]));
        if (years.some((y) => y !== year)) continue;
        const measure = measureOf(label, clause, sentence, { applications, outcomes, verb: itemVerb });
        if (!measure) continue;
        const withCarriedOver = measure === 'received' && /(?:含|包括|包含)[^，,。]{0,8}上一?年度?结转/u.test(sentence);
        out.push(withCarriedOver ? { measure, value, phrase, withCarriedOver } : { measure, value, phrase });
      }
    }
  }
  return out;
}

function measureOf(
  label: string,
  clause: string,
  sentence: string,
  ctx: { applications: boolean; outcomes: boolean; verb?: 'Issued' | 'Repealed' | 'InForce' },
): Measure | undefined {
  // The item's own words: from the last list separator before the number.
  const item = label.split(/[、和及与]/u).at(-1) ?? label;
  if (/规章/u.test(item) && !/规范性文件/u.test(item)) return docMeasure('regulations', item, clause, ctx.verb);
  if (/规范性文件/u.test(item)) {
    // 「印发规范性文件3件，其中行政规范性文件2件」: the plain word counts more than the table's row.
    if (!/行政规范性文件/u.test(item) && /行政规范性文件/u.test(sentence)) return undefined;
    return docMeasure('normative', item, clause, ctx.verb);
  }
  if (/行政诉讼|被起诉|应诉/u.test(label) && !/复议/u.test(item.replace(/复议后起诉/u, ''))) {
    return OTHER_SCOPE.test(label) ? undefined : 'lawsuit';
  }
  if (/行政复议/u.test(item) && !/诉讼/u.test(item)) return OTHER_SCOPE.test(label) ? undefined : 'review';
  if (/上年度?结转|上一年度?结转/u.test(label)) return 'carriedOver';
  if (/结转(?:至|到)?下一?年度?/u.test(label)) return 'carriedForward';
  if (ctx.outcomes) {
    for (const [re, measure] of OUTCOMES) if (re.test(item) && !/同比|较|上年|去年/u.test(item)) return measure;
    if (/办结/u.test(item) && !OTHER_SCOPE.test(label)) return 'concluded';
  }
  if (!ctx.applications) return undefined;
  if (OTHER_SCOPE.test(label)) return undefined;
  if (/新收|收到|受理|接收|共收/u.test(label) && /申请/u.test(label) && !/自然人|法人|组织|企业|机构/u.test(item)) return 'received';
  return undefined;
}

/** For documents, 「其中行政规范性文件2件」 names the table's own row: only a wider or narrower body, or another year, is another scope. */
const DOC_OTHER_SCOPE = new RegExp(OTHER_SCOPE.source.replace('其中|', ''), 'u');

function docMeasure(
  kind: 'regulations' | 'normative',
  item: string,
  clause: string,
  verb?: 'Issued' | 'Repealed' | 'InForce',
): Measure | undefined {
  if (!verb) return undefined;
  if (DOC_OTHER_SCOPE.test(item) || DOC_OTHER_SCOPE.test(clause.slice(0, clause.indexOf(item)))) return undefined;
  return `${kind}${verb}` as Measure;
}
