/**
 * The 勾稽关系 of gov-2021 as data (docs/form.md): which cells sum to which (R2, R3, R4), the
 * balance of Table 3 (R1), and what carries over from last year's report (R5, R6). The messages
 * are templates filled from the form's labels (src/rules/sums.ts).
 */
import type { BalanceCheck, CarryCheck, TotalCheck } from '../../src/form/spec.js';
import { applicantColumns, applicants, documentRows, leafRowPaths, outcomeBlocks, outcomes, table3RowPaths } from './form.js';

export const balances: BalanceCheck[] = [
  {
    code: 'R1',
    description: '表三 每一列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理',
    message:
      '{table} {column} 列：第一项加第二项之和 {left} ≠ 第三项加第四项之和 {right}' +
      '（一、本年新收 {l0} + 二、上年结转 {l1}；（七）总计 {r0} + 四、结转下年度继续办理 {r1}）',
    balances: applicantColumns.map((col) => ({
      path: `applications.*.${col}`,
      left: [`applications.received.${col}`, `applications.carriedOver.${col}`],
      right: [`applications.total.${col}`, `applications.carriedForward.${col}`],
    })),
  },
];

export const totals: TotalCheck[] = [
  {
    code: 'R2',
    description: '表三 每一列：（七）总计 = （一）至（六）各项之和',
    message:
      '{table} {column} 列：（七）总计 {total} ≠ 三、本年度办理结果（一）至（六）各项之和 {sum}（合计与明细不符：可删除 total 让程序计算）',
    sums: applicantColumns.map((col) => ({
      total: `applications.total.${col}`,
      parts: leafRowPaths.map((row) => `${row}.${col}`),
      // (七)总计's own 总计: computed across its given row (R3) first, down its column when the row is omitted.
      ...(col === 'total' ? { secondary: true as const } : {}),
    })),
  },
  {
    code: 'R3',
    description: '表三 每一行：总计 = 自然人 + 法人或其他组织（五类）之和',
    message: '{table} {row} 行：{column} {total} ≠ {partColumns}之和 {sum}（合计与明细不符：可删除 total 让程序计算）',
    sums: table3RowPaths.map((row) => ({ total: `${row}.total`, parts: applicants.map((col) => `${row}.${col}`) })),
  },
  {
    code: 'R4',
    description: '表四 每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结',
    message: '{table} {group}：{column} {total} ≠ {partColumns}之和 {sum}（{terms}）；合计与明细不符：可删除 total 让程序计算',
    sums: outcomeBlocks.map((block) => ({
      total: `reviewsAndLawsuits.${block}.total`,
      parts: outcomes.map((col) => `reviewsAndLawsuits.${block}.${col}`),
    })),
  },
];

export const carries: CarryCheck[] = [
  {
    code: 'R5',
    description: '表三 每一列：本年“二、上年结转” = 上年“四、结转下年度继续办理”',
    severity: 'error',
    message: '{table} {column} 列：本年“二、上年结转政府信息公开申请数量” {now} ≠ {previousYear}年报告“四、结转下年度继续办理” {before}',
    carries: applicantColumns.map((col) => ({ now: `applications.carriedOver.${col}`, previous: `applications.carriedForward.${col}` })),
  },
  {
    code: 'R6',
    description: '表二：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数（仅提示）',
    severity: 'warning',
    message:
      '{table} {row}：现行有效件数 {now} ≠ 上年现行有效件数 {before} + 本年制发件数 {p0} − 本年废止件数 {m0} = {expected}' +
      '（清理后重新统计的，可忽略此提示）',
    carries: documentRows.map(([key]) => ({
      now: `proactive.${key}.inForce`,
      previous: `proactive.${key}.inForce`,
      plus: [`proactive.${key}.issued`],
      minus: [`proactive.${key}.repealed`],
    })),
  },
];
