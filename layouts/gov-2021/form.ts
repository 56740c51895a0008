/**
 * The form of 国办公开办函〔2021〕30号 (report years 2021 onward), as data: its parts, grids,
 * labels, bindings and typography. The model fields of the tables are named here once; the schema,
 * the blank report and the sums of the format (index.ts) are built from these lists.
 * Labels are the official text, code point for code point (docs/form.md). Row and column indices
 * are 0-based; each cell is given at its origin with its spans.
 */
import { chineseNumeral } from '../../src/form/numerals.js';
import type { CellSpec, FormSpec, RowSpec, TableSpec } from '../../src/form/spec.js';

const label = (c: number, text: string, span: { rs?: number; cs?: number } = {}, align?: 'left'): CellSpec =>
  align ? { c, text, ...span, align } : { c, text, ...span };
const data = (c: number, bind: string, cs?: number): CellSpec => (cs ? { c, bind, cs } : { c, bind });

/** The two rows of 第二十条第（一）项 and the three columns each holds. */
export const documentRows = [
  ['regulations', '规章'],
  ['normativeDocuments', '行政规范性文件'],
] as const;
export const documentColumns = ['issued', 'repealed', 'inForce'] as const;

// ── Table 2: 二、主动公开政府信息情况 — 4 equal columns, 14 rows ─────────────────────────────
// The 第二十条 rows are left-aligned and shaded, as the template sets them.
const block = (heading: string, columns: string[]): RowSpec[] => [
  { kind: 'header', cells: [{ ...label(0, heading, { cs: 4 }, 'left'), shaded: true }] },
  {
    kind: 'header',
    cells:
      columns.length === 3
        ? [label(0, '信息内容'), ...columns.map((t, i) => label(i + 1, t))]
        : [label(0, '信息内容'), label(1, columns[0]!, { cs: 3 })],
  },
];
const table2: TableSpec = {
  name: '表二',
  columns: [1, 1, 1, 1],
  headerRows: 0,
  rows: [
    ...block('第二十条第（一）项', ['本年制发件数', '本年废止件数', '现行有效件数']),
    ...documentRows.map(
      ([key, text]): RowSpec => ({
        kind: 'data',
        cells: [
          { ...label(0, text), ...(key === 'normativeDocuments' ? { variants: ['规范性文件'] } : {}) },
          ...documentColumns.map((col, i) => data(i + 1, `proactive.${key}.${col}`)),
        ],
        // A department makes no 规章: its report may leave the row out.
        ...(key === 'regulations' ? { optional: true as const } : {}),
      }),
    ),
    ...block('第二十条第（五）项', ['本年处理决定数量']),
    { kind: 'data', cells: [label(0, '行政许可'), data(1, 'proactive.licensing', 3)] },
    ...block('第二十条第（六）项', ['本年处理决定数量']),
    { kind: 'data', cells: [label(0, '行政处罚'), data(1, 'proactive.punishment', 3)] },
    { kind: 'data', cells: [label(0, '行政强制'), data(1, 'proactive.enforcement', 3)] },
    ...block('第二十条第（八）项', ['本年收费金额（单位：万元）']),
    { kind: 'data', cells: [label(0, '行政事业性收费'), { ...data(1, 'proactive.fees', 3), value: 'decimal' }] },
  ],
};

// ── Table 3: 三、收到和处理政府信息公开申请情况 — 10 columns, 28 rows ────────────────────────
/** The six applicant columns C3–C8 (their 总计 is C9), the Row fields they show. */
export const applicants = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'] as const;
/** The seven data columns C3–C9 and the Row fields they show. */
export const applicantColumns = [...applicants, 'total'] as const;
const rowData = (path: string): CellSpec[] => applicantColumns.map((k, i) => data(3 + i, `${path}.${k}`));

/** Leaf rows of 三、本年度办理结果 under a group label spanning them. */
const group = (groupLabel: string, base: string, leaves: [string, string][], unsplit?: string): RowSpec[] =>
  leaves.map(([key, text], i) => ({
    kind: 'data',
    cells: [
      ...(i === 0 ? [{ ...label(1, groupLabel, { rs: leaves.length }), ...(unsplit ? { unsplit } : {}) }] : []),
      label(2, text, {}, 'left'),
      ...rowData(`${base}.${key}`),
    ],
  }));

export const table3Groups = {
  denied: [
    '（三）不予公开',
    [
      ['stateSecret', '1.属于国家秘密'],
      ['prohibitedByLaw', '2.其他法律行政法规禁止公开'],
      ['threeSecurityOneStability', '3.危及“三安全一稳定”'],
      ['thirdPartyRights', '4.保护第三方合法权益'],
      ['internalAffairs', '5.属于三类内部事务信息'],
      ['processInformation', '6.属于四类过程性信息'],
      ['lawEnforcementFiles', '7.属于行政执法案卷'],
      ['administrativeQuery', '8.属于行政查询事项'],
    ],
  ],
  unableToProvide: [
    '（四）无法提供',
    [
      ['notHeld', '1.本机关不掌握相关政府信息'],
      ['needsCreation', '2.没有现成信息需要另行制作'],
      ['unclearAfterCorrection', '3.补正后申请内容仍不明确'],
    ],
  ],
  notProcessed: [
    '（五）不予处理',
    [
      ['petitionOrComplaint', '1.信访举报投诉类申请'],
      ['duplicate', '2.重复申请'],
      ['publication', '3.要求提供公开出版物'],
      ['excessive', '4.无正当理由大量反复申请'],
      ['confirmation', '5.要求行政机关确认或重新出具已获取信息'],
    ],
  ],
  otherHandling: [
    '（六）其他处理',
    [
      ['noCorrection', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
      ['feeUnpaid', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
      ['other', '3.其他'],
    ],
  ],
} as const satisfies Record<string, readonly [string, readonly (readonly [string, string])[]]>;

const groupRows = (key: keyof typeof table3Groups): RowSpec[] => {
  const [text, leaves] = table3Groups[key];
  return group(
    text,
    `applications.${key}`,
    leaves.map(([k, t]) => [k, t]),
    // The 2019 layout printed （六）其他处理 as one row: what it holds is 3.其他 unless split.
    key === 'otherHandling' ? '3.其他' : undefined,
  );
};

/** The rows of Table 3 by model key, in print order: [key, group of table3Groups or undefined]. */
export const table3Rows = [
  'received',
  'carriedOver',
  'granted',
  'partiallyGranted',
  'denied',
  'unableToProvide',
  'notProcessed',
  'otherHandling',
  'total',
  'carriedForward',
] as const;
/** The dotted paths of the 21 leaf rows of 三、本年度办理结果 ((一) to (六)), in print order. */
export const leafRowPaths: string[] = table3Rows.flatMap((key) =>
  key in table3Groups
    ? table3Groups[key as keyof typeof table3Groups][1].map(([leaf]) => `applications.${key}.${leaf}`)
    : key === 'granted' || key === 'partiallyGranted'
      ? [`applications.${key}`]
      : [],
);
/** The dotted paths of every row of Table 3, in print order. */
export const table3RowPaths: string[] = table3Rows.flatMap((key) =>
  key in table3Groups
    ? table3Groups[key as keyof typeof table3Groups][1].map(([leaf]) => `applications.${key}.${leaf}`)
    : [`applications.${key}`],
);

const table3: TableSpec = {
  name: '表三',
  columns: [754, 921, 3271, 557, 557, 557, 557, 557, 557, 557],
  headerRows: 3,
  // The template rules the header rows off with a rule twice the weight of the others (sz 8 / 4).
  heavyHeaderRule: true,
  rows: [
    {
      kind: 'header',
      cells: [
        // Left-aligned, as the template sets it.
        label(0, '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { rs: 3, cs: 3 }, 'left'),
        label(3, '申请人情况', { cs: 7 }),
      ],
    },
    { kind: 'header', cells: [label(3, '自然人', { rs: 2 }), label(4, '法人或其他组织', { cs: 5 }), label(9, '总计', { rs: 2 })] },
    {
      kind: 'header',
      cells: ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'].map((t, i) => label(4 + i, t)),
    },
    { kind: 'data', cells: [label(0, '一、本年新收政府信息公开申请数量', { cs: 3 }, 'left'), ...rowData('applications.received')] },
    { kind: 'data', cells: [label(0, '二、上年结转政府信息公开申请数量', { cs: 3 }, 'left'), ...rowData('applications.carriedOver')] },
    {
      kind: 'data',
      cells: [
        label(0, '三、本年度办理结果', { rs: 22 }),
        label(1, '（一）予以公开', { cs: 2 }, 'left'),
        ...rowData('applications.granted'),
      ],
    },
    {
      kind: 'data',
      cells: [
        label(1, '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', { cs: 2 }, 'left'),
        ...rowData('applications.partiallyGranted'),
      ],
    },
    ...groupRows('denied'),
    ...groupRows('unableToProvide'),
    ...groupRows('notProcessed'),
    ...groupRows('otherHandling'),
    { kind: 'data', cells: [label(1, '（七）总计', { cs: 2 }, 'left'), ...rowData('applications.total')] },
    { kind: 'data', cells: [label(0, '四、结转下年度继续办理', { cs: 3 }, 'left'), ...rowData('applications.carriedForward')] },
  ],
};

// ── Table 4: 四、政府信息公开行政复议、行政诉讼情况 — 15 equal columns, 4 rows ─────────────────
export const outcomes = ['upheld', 'corrected', 'other', 'pending'] as const;
export const outcomeColumns = [...outcomes, 'total'] as const;
/** The three blocks of Table 4, by model key. */
export const outcomeBlocks = ['review', 'lawsuitDirect', 'lawsuitAfterReview'] as const;
const outcomeLabels = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
const table4: TableSpec = {
  name: '表四',
  columns: Array.from({ length: 15 }, () => 1),
  headerRows: 3,
  rows: [
    { kind: 'header', cells: [label(0, '行政复议', { cs: 5 }), label(5, '行政诉讼', { cs: 10 })] },
    {
      kind: 'header',
      cells: [
        ...outcomeLabels.map((t, i) => label(i, t, { rs: 2 })),
        label(5, '未经复议直接起诉', { cs: 5 }),
        label(10, '复议后起诉', { cs: 5 }),
      ],
    },
    { kind: 'header', cells: [...outcomeLabels, ...outcomeLabels].map((t, i) => label(5 + i, t)) },
    {
      kind: 'data',
      cells: outcomeBlocks.flatMap((block, b) => outcomeColumns.map((k, i) => data(b * 5 + i, `reviewsAndLawsuits.${block}.${k}`))),
    },
  ],
};

/** 22 lines in the 225 mm text block: 28.95 pt, Word's 579 twips (225 mm / 22 is 28.99 pt; 28.95 leaves the rounding inside the block). */
const LINE_PITCH = 28.95;

/** What the form part of a FormSpec holds; index.ts adds the schema, the sums and the rules. */
export type FormPart = Omit<FormSpec, 'schema' | 'blank' | 'totals' | 'balances' | 'carries' | 'rules' | 'summary'>;

export const form: FormPart = {
  format: 'gov-2021',
  source: '国办公开办函〔2021〕30号',
  typography: {
    page: { widthMm: 210, heightMm: 297, marginTopMm: 37, marginLeftMm: 28, textWidthMm: 156, textHeightMm: 225 },
    grid: { lines: 22, chars: 28 },
    title: { role: 'title', size: 22, linePitch: 36, spaceAfterLines: 1 },
    body: { role: 'body', size: 16, linePitch: LINE_PITCH, indentChars: 2, minLastLineChars: 2, minLinesAtBreak: 2, maxGapEm: 0.25 },
    heading1: { role: 'heading1', size: 16, linePitch: LINE_PITCH, indentChars: 2 },
    heading2: { role: 'heading2', size: 16, linePitch: LINE_PITCH, indentChars: 2 },
    table: {
      role: 'table',
      size: 10.5,
      linePitch: 13,
      paddingPt: 2,
      borderPt: 0.75,
      minSize: 9,
      linesAfter: 1,
      shade: 'C6D9F1',
      headerRulePt: 1.5,
    },
    signature: { indentChars: 2, dateShiftChars: 2 },
    pageNumber: { role: 'pageNumber', size: 14, gapBelowTextMm: 7, indentChars: 1, dash: '—' },
    draft: { text: '草稿', role: 'heading1', size: 120, headerSize: 22, color: 'C00000', opacity: 0.15, angle: 45 },
    officialFonts: {
      title: '方正小标宋简体',
      body: '仿宋_GB2312',
      heading1: '黑体',
      heading2: '楷体_GB2312',
      table: '仿宋_GB2312',
      pageNumber: '宋体',
    },
  },
  parts: [
    {
      heading: '一、总体情况',
      field: 'overview',
      paragraphs: 'overview.intro',
      sections: 'overview.sections',
      example: '主动公开',
      keywords: ['总体'],
    },
    { heading: '二、主动公开政府信息情况', field: 'proactive', table: 'table2', keywords: ['主动公开'] },
    { heading: '三、收到和处理政府信息公开申请情况', field: 'applications', table: 'table3', keywords: ['申请'] },
    { heading: '四、政府信息公开行政复议、行政诉讼情况', field: 'reviewsAndLawsuits', table: 'table4', keywords: ['复议', '诉讼'] },
    { heading: '五、存在的主要问题及改进情况', field: 'problems', paragraphs: 'problems', keywords: ['问题'] },
    { heading: '六、其他需要报告的事项', field: 'other', sections: 'other', example: '收取信息处理费的情况', keywords: ['其他', '事项'] },
  ],
  tables: { table2, table3, table4 },
  quietRowLabels: ['三、本年度办理结果'],
  fieldLabels: {
    format: '格式',
    agency: '机关名称',
    year: '报告年度',
    title: '标题',
    preface: '前言',
    overview: '一、总体情况',
    'overview.intro': '一、总体情况 引言',
    proactive: '二、主动公开政府信息情况',
    'proactive.regulations': '表二 规章',
    'proactive.normativeDocuments': '表二 行政规范性文件',
    applications: '三、收到和处理政府信息公开申请情况',
    'applications.denied': '表三 （三）不予公开',
    'applications.unableToProvide': '表三 （四）无法提供',
    'applications.notProcessed': '表三 （五）不予处理',
    'applications.otherHandling': '表三 （六）其他处理',
    reviewsAndLawsuits: '四、政府信息公开行政复议、行政诉讼情况',
    problems: '五、存在的主要问题及改进情况',
    other: '六、其他需要报告的事项',
    signature: '落款',
    'signature.name': '落款 署名',
    'signature.date': '落款 日期',
  },
  subsectionNumber: (i) => `（${chineseNumeral(i + 1)}）`,
  defaultTitle: (agency, year) => `${agency}${year}年度政府信息公开工作年度报告`,
  document: {
    subject: (year) => `${year}年度政府信息公开工作年度报告`,
    keywords: ['政府信息公开', '年度报告'],
    column: '政府信息公开年报',
  },
};
