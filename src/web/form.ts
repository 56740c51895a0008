/**
 * The whole report as a form, in the order of the printed document: every control named by the
 * JSON path of its value. Lists of paragraphs and of subsections can grow, shrink and be reordered
 * through buttons carrying `data-action` and `data-list` (handled in main.ts).
 */
import type { FormSpec } from '../form/index.js';
import { describePath } from '../model/labels.js';
import { h } from './dom.js';
import { getAt, type EditorState } from './state.js';

type Section = { heading: string; paragraphs: string[] };
import { renderTable } from './tables.js';

const tool = (action: string, list: string, index: number, label: string, text: string) =>
  h(
    'button',
    {
      type: 'button',
      class: `tool ${action}`,
      'data-action': action,
      'data-list': list,
      'data-index': String(index),
      'aria-label': label,
      title: label,
    },
    text,
  );

const segments = (path: string) => path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

function paragraphs(form: FormSpec, list: string, items: string[], addLabel = '添加段落'): HTMLElement {
  const box = h('div', { class: 'paragraphs', 'data-list-of': list });
  items.forEach((text, i) => {
    const name = `${list}.${i}`;
    const area = h('textarea', {
      name,
      rows: '2',
      'aria-label': describePath(segments(name), form),
      placeholder: '在此输入一段文字；按 Enter 另起一段',
    });
    area.value = text;
    box.append(
      h(
        'div',
        { class: 'para' },
        area,
        h(
          'div',
          { class: 'tools' },
          tool('up', list, i, '上移这一段', '↑'),
          tool('down', list, i, '下移这一段', '↓'),
          tool('remove', list, i, '删除这一段', '×'),
        ),
      ),
    );
  });
  box.append(h('button', { type: 'button', class: 'add', 'data-action': 'add', 'data-list': list }, `＋ ${addLabel}`));
  return box;
}

function sections(form: FormSpec, list: string, items: { heading: string; paragraphs: string[] }[], placeholder: string): HTMLElement {
  const box = h('div', { class: 'sections', 'data-list-of': list });
  items.forEach((s, i) => {
    const name = `${list}.${i}.heading`;
    // A textarea, one line that wraps: a long heading stays readable on a phone (Enter moves on, main.ts).
    const heading = h('textarea', { name, class: 'heading', rows: '1', 'aria-label': describePath(segments(name), form), placeholder });
    heading.value = s.heading;
    box.append(
      h(
        'div',
        { class: 'section' },
        h(
          'div',
          { class: 'section-head' },
          h('span', { class: 'number' }, form.subsectionNumber(i)),
          heading,
          h(
            'div',
            { class: 'tools' },
            tool('up', list, i, '上移这一小节', '↑'),
            tool('down', list, i, '下移这一小节', '↓'),
            tool('remove', list, i, '删除这一小节', '×'),
          ),
        ),
        paragraphs(form, `${list}.${i}.paragraphs`, s.paragraphs),
      ),
    );
  });
  box.append(h('button', { type: 'button', class: 'add', 'data-action': 'add', 'data-list': list }, '＋ 添加小节'));
  return box;
}

function field(label: string, control: HTMLInputElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('small', {}, hint) : null);
}

function input(name: string, value: string, attrs: Record<string, string> = {}): HTMLInputElement {
  const el = h('input', { type: 'text', name, autocomplete: 'off', ...attrs });
  el.value = value;
  return el;
}

/**
 * A date as 年/月/日, the same in every browser whatever its language (an `<input type=date>`
 * shows 「mm/dd/yyyy」 in an English one). The value is kept in a hidden input named by its path.
 */
function dateField(name: string, value: string): HTMLElement {
  const [y = '', m = '', d = ''] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-') : [];
  const year = h('input', {
    type: 'text',
    inputmode: 'numeric',
    maxlength: '4',
    class: 'date-year',
    'data-date': 'y',
    'aria-label': '落款日期 年',
    placeholder: '年份',
    autocomplete: 'off',
  });
  year.value = y;
  const select = (part: string, count: number, chosen: string, label: string) => {
    const el = h('select', { 'data-date': part, 'aria-label': `落款日期 ${label}` }, h('option', { value: '' }, '—'));
    for (let i = 1; i <= count; i++) el.append(h('option', { value: String(i).padStart(2, '0') }, String(i)));
    el.value = chosen;
    return el;
  };
  const hidden = h('input', { type: 'hidden', name });
  hidden.value = value;
  return h(
    'fieldset',
    { class: 'field date', 'data-date-of': name },
    h('legend', { class: 'field-label' }, '日期'),
    h(
      'div',
      { class: 'date-parts' },
      year,
      h('span', { 'aria-hidden': 'true' }, '年'),
      select('m', 12, m, '月'),
      h('span', { 'aria-hidden': 'true' }, '月'),
      select('d', 31, d, '日'),
      h('span', { 'aria-hidden': 'true' }, '日'),
      hidden,
    ),
    h('small', { class: 'date-note', 'aria-live': 'polite' }),
  );
}

export function renderForm(form: FormSpec, state: EditorState): DocumentFragment {
  const frag = document.createDocumentFragment();
  const part = (id: string, title: string, ...content: (Node | null)[]) =>
    h('section', { class: 'part', id }, h('h2', {}, title), ...content);

  frag.append(
    part(
      'part-basic',
      '基本信息',
      h(
        'div',
        { class: 'fields' },
        field('机关名称', input('agency', state.agency, { placeholder: '如：某某县人民政府', 'aria-label': '机关名称' })),
        field(
          '报告年度',
          input('year', String(state.year ?? ''), {
            inputmode: 'numeric',
            'data-kind': 'year',
            maxlength: '4',
            'aria-label': '报告年度',
            class: 'year',
          }),
        ),
      ),
      field(
        '标题',
        input('title', state.title, {
          placeholder: `不填则为：${form.defaultTitle(state.agency || '（机关名称）', Number(state.year) || 0)}`,
          'aria-label': '标题',
          class: 'wide',
        }),
        '一般不用填写',
      ),
    ),
    part('part-preface', '前言', paragraphs(form, 'preface', state.preface)),
  );
  for (const p of form.parts) {
    const content: HTMLElement[] = [];
    // What the part prints, as the form says: its table, its paragraphs, its sections.
    const hint = `小标题${p.example ? `，如：${p.example}` : ''}`;
    if (p.table) content.push(renderTable(form, p.table, form.tables[p.table]!));
    if (p.paragraphs && p.sections) {
      content.push(h('h3', {}, '引言（可不填）'), paragraphs(form, p.paragraphs, getAt(state, p.paragraphs) as string[]));
      content.push(h('h3', {}, '小节'), sections(form, p.sections, getAt(state, p.sections) as Section[], hint));
    } else if (p.paragraphs) content.push(paragraphs(form, p.paragraphs, getAt(state, p.paragraphs) as string[]));
    else if (p.sections) content.push(sections(form, p.sections, getAt(state, p.sections) as Section[], hint));
    frag.append(part(`part-${p.field}`, p.heading, ...content));
  }
  frag.append(
    part(
      'part-signature',
      '落款（可不填）',
      h(
        'div',
        { class: 'fields' },
        field(
          '署名',
          input('signature.name', state.signature.name, { placeholder: '如：某某县人民政府办公室', 'aria-label': '落款 署名' }),
        ),
        dateField('signature.date', state.signature.date),
      ),
    ),
  );
  return frag;
}
