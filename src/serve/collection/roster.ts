/**
 * A roster for the collection: unit names (text, CSV or the first sheet of an XLSX, read by the
 * review's `parseRosterText`), each optionally with its parent in a column headed 上级 (上级单位).
 * Parents come before their children in the answer, so the store can add them in order.
 */
import { parseRosterText, splitCsvLine } from '../../app/review/units.js';
import { xlsxRosterText } from '../../app/review/run.js';

export async function rosterText(bytes: Uint8Array, xlsx: boolean): Promise<string> {
  if (!xlsx) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new RosterError('单位名单不是 UTF-8 编码的文本：请另存为 UTF-8（或使用 XLSX）');
    }
  }
  try {
    return await xlsxRosterText(bytes);
  } catch {
    throw new RosterError('单位名单不是有效的 XLSX 工作簿');
  }
}

export class RosterError extends Error {}

const cells = (line: string): string[] => splitCsvLine(line).map((c) => c.trim());

/** The roster's units with their parents (from a 上级 column, when there is one), parents first. */
export function parseRoster(text: string): { name: string; parent?: string }[] {
  const names = parseRosterText(text);
  const lines = text
    .replace(/^\ufeff/u, '')
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const header = lines.length ? cells(lines[0]!) : [];
  const parentColumn = header.findIndex((c) => /上级/u.test(c));
  const nameColumn = header.findIndex((c) => /单位|机关|名称|部门/u.test(c) && !/上级/u.test(c));
  const parents = new Map<string, string>();
  if (parentColumn >= 0)
    for (const line of lines.slice(1)) {
      const row = cells(line);
      const name = row[Math.max(nameColumn, 0)];
      const parent = row[parentColumn];
      if (name && parent) parents.set(name, parent);
    }
  // Parents first: a unit waits until its parent (if in this roster) is placed.
  const entries = names.map((name) => ({ name, ...(parents.get(name) ? { parent: parents.get(name)! } : {}) }));
  const placed = new Set<string>();
  const inRoster = new Set(names);
  const ordered: typeof entries = [];
  let progress = true;
  while (ordered.length < entries.length && progress) {
    progress = false;
    for (const e of entries) {
      if (placed.has(e.name)) continue;
      if (e.parent && inRoster.has(e.parent) && !placed.has(e.parent)) continue;
      ordered.push(e);
      placed.add(e.name);
      progress = true;
    }
  }
  if (ordered.length < entries.length) {
    const loop = entries.filter((e) => !placed.has(e.name)).map((e) => e.name);
    throw new RosterError(`单位名单中的上级关系形成了循环：${loop.join('、')}`);
  }
  return ordered;
}
