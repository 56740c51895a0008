/**
 * The official tables drawn from the form's grids (layouts/<format>): the same
 * labels, the same merged cells, one input per data cell named by its binding. 总计 cells are
 * computed, shown read-only.
 */
import { resolveGrid, type FormSpec, type TableSpec } from '../form/index.js';
import { cellLabel, decimalCells } from '../model/labels.js';
import { computedTotals } from '../model/resolve.js';
import { h } from './dom.js';

/** A binding whose value the editor computes: a total of the form's sums (every 总计, the whole （七）总计 row). */
export const isComputed = (form: FormSpec, bind: string): boolean => computedTotals(form).has(bind);

/** A decimal (the fee); every other cell a non-negative integer. */
export const isDecimal = (form: FormSpec, bind: string): boolean => decimalCells(form).has(bind);

export function renderTable(form: FormSpec, id: string, spec: TableSpec): HTMLElement {
  const grid = resolveGrid(spec);
  const sum = spec.columns.reduce((a, b) => a + b, 0);
  const table = h('table', { class: `official ${id}`, 'data-table': id });
  table.append(
    h('caption', { class: 'visually-hidden' }, spec.name),
    h(
      'colgroup',
      {},
      ...spec.columns.map((w) => {
        // A style property, not a style attribute: the page's Content-Security-Policy allows no inline styles.
        const col = h('col');
        col.style.width = `${((w / sum) * 100).toFixed(3)}%`;
        return col;
      }),
    ),
  );
  const head = h('thead');
  const body = h('tbody');
  for (let r = 0; r < grid.rows; r++) {
    const row = spec.rows[r]!;
    const tr = h('tr');
    for (const cell of grid.cells.filter((c) => c.r === r)) {
      const span: Record<string, string> = {};
      if (cell.rs > 1) span.rowspan = String(cell.rs);
      if (cell.cs > 1) span.colspan = String(cell.cs);
      if (cell.bind) {
        const bind = cell.bind;
        const computed = isComputed(form, bind);
        const input = h('input', {
          type: 'text',
          name: bind,
          autocomplete: 'off',
          spellcheck: 'false',
          inputmode: isDecimal(form, bind) ? 'decimal' : 'numeric',
          'aria-label': cellLabel(form, bind) ?? bind,
          class: computed ? 'num computed' : 'num',
          'data-kind': isDecimal(form, bind) ? 'decimal' : 'integer',
          ...(computed ? { readonly: '', tabindex: '-1', 'aria-readonly': 'true', title: '自动计算' } : {}),
        });
        tr.append(h('td', { ...span, class: computed ? 'data total' : 'data' }, input));
      } else {
        const header = row.kind === 'header';
        tr.append(
          h(
            header ? 'th' : 'td',
            { ...span, class: `label${cell.align === 'left' ? ' left' : ''}`, ...(header ? { scope: 'col' } : {}) },
            cell.text ?? '',
          ),
        );
      }
    }
    (row.kind === 'header' && r < Math.max(spec.headerRows, 1) && spec.headerRows > 0 ? head : body).append(tr);
  }
  if (head.childElementCount) table.append(head);
  table.append(body);
  return h('div', { class: 'table-wrap' }, h('p', { class: 'scroll-hint' }, `${spec.name}较宽，可左右滑动查看`), table);
}
