/** R1–R3: the 勾稽关系 of Table 3 (三、收到和处理政府信息公开申请情况). */
import { columnLabel, rowLabel } from '../model/labels.js';
import { APPLICANTS, cell, leafRows, rowSum, type ApplicantColumn } from '../model/resolve.js';
import type { Row } from '../model/schema.js';
import type { Rule } from './rule.js';
import type { Diagnostic } from '../diagnostics.js';

const COLUMNS: ApplicantColumn[] = [...APPLICANTS, 'total'];

/** （七）总计 for one column: as given, or the sum of the leaf rows. */
const totalCell = (a: Parameters<typeof leafRows<Row>>[0] & { total?: Row }, col: ApplicantColumn): number =>
  a.total ? cell(a.total, col) : leafRows(a).reduce((s, r) => s + cell(r, col), 0);

export const r1Balance: Rule = {
  code: 'R1',
  description: '表三 每一列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理',
  check({ report, form }) {
    const a = report.applications;
    return COLUMNS.flatMap((col): Diagnostic[] => {
      const left = cell(a.received, col) + cell(a.carriedOver, col);
      const right = totalCell(a, col) + cell(a.carriedForward, col);
      if (left === right) return [];
      const name = columnLabel(form, `applications.received.${col}`);
      return [
        {
          code: 'R1',
          severity: 'error',
          path: `applications.*.${col}`,
          message:
            `表三 ${name} 列：第一项加第二项之和 ${left} ≠ 第三项加第四项之和 ${right}` +
            `（一、本年新收 ${cell(a.received, col)} + 二、上年结转 ${cell(a.carriedOver, col)}；` +
            `（七）总计 ${totalCell(a, col)} + 四、结转下年度继续办理 ${cell(a.carriedForward, col)}）`,
        },
      ];
    });
  },
};

export const r2OutcomeTotal: Rule = {
  code: 'R2',
  description: '表三 每一列：（七）总计 = （一）至（六）各项之和',
  check({ report, form }) {
    const a = report.applications;
    if (!a.total) return [];
    const given = a.total;
    return COLUMNS.flatMap((col): Diagnostic[] => {
      const sum = leafRows(a).reduce((s, r) => s + cell(r, col), 0);
      const total = cell(given, col);
      if (sum === total) return [];
      return [
        {
          code: 'R2',
          severity: 'error',
          path: `applications.total.${col === 'total' ? 'total' : col}`,
          message: `表三 ${columnLabel(form, `applications.total.${col}`)} 列：（七）总计 ${total} ≠ 三、本年度办理结果（一）至（六）各项之和 ${sum}`,
        },
      ];
    });
  },
};

/** Every row of Table 3 with its dotted path. */
function rowsOf(a: Record<string, unknown>, base = 'applications'): [string, Row][] {
  return Object.entries(a).flatMap(([k, v]): [string, Row][] => {
    if (!v || typeof v !== 'object') return [];
    return 'naturalPerson' in v ? [[`${base}.${k}`, v as Row]] : rowsOf(v as Record<string, unknown>, `${base}.${k}`);
  });
}

export const r3RowTotal: Rule = {
  code: 'R3',
  description: '表三 每一行：总计 = 自然人 + 法人或其他组织（五类）之和',
  check({ report, form }) {
    return rowsOf(report.applications).flatMap(([path, row]): Diagnostic[] => {
      if (row.total === undefined || row.total === rowSum(row)) return [];
      return [
        {
          code: 'R3',
          severity: 'error',
          path: `${path}.total`,
          message: `表三 ${rowLabel(form, `${path}.total`)} 行：总计 ${row.total} ≠ 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之和 ${rowSum(row)}`,
        },
      ];
    });
  },
};
