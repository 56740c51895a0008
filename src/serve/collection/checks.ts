/**
 * What submitting a report runs, and how two versions differ. The checks are the CLI's: the schema,
 * R1–R8 and the glyph check (src/app/check.ts validate), the cross-year rules against the unit's
 * report of the year before as kept in the store, and the review checks that apply to one unit
 * alone — TEXT_TABLE, EMPTY_PART, and TEXT_REPEAT against last year's.
 */
import { formFor } from '../../../layouts/index.js';
import { validate } from '../../app/check.js';
import { emptyParts, textRepeat, textTable } from '../../app/review/checks.js';
import type { Diagnostic } from '../../diagnostics.js';
import { describePath } from '../../model/labels.js';
import { parseReportValue } from '../../model/load.js';
import { formatPath, type PathSegment } from '../../model/paths.js';
import type { Report } from '../../model/schema.js';

/** Repeated share of a part (vs last year's) above which TEXT_REPEAT warns: the review's default. */
export const REPEAT_THRESHOLD = 0.5;

export type Parsed = { ok: true; report: Report } | { ok: false; diagnostics: Diagnostic[] };

/** A stored body (JSON text) as a checked report, or the schema's diagnostics. */
export function parseBody(body: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, diagnostics: [{ code: 'JSON', severity: 'error', path: '$', message: '报告内容不是有效的 JSON' }] };
  }
  const parsed = parseReportValue(value);
  return parsed.ok ? { ok: true, report: parsed.report as Report } : { ok: false, diagnostics: parsed.diagnostics };
}

/** Every check submitting runs; errors block, warnings need the clerk's confirmation. */
export function submitChecks(body: string, previousBody: string | undefined, unitName: string): Diagnostic[] {
  const parsed = parseBody(body);
  if (!parsed.ok) return parsed.diagnostics;
  const report = parsed.report;
  const prev = previousBody === undefined ? undefined : parseBody(previousBody);
  const previous = prev?.ok ? prev.report : undefined;
  const out: Diagnostic[] = [...validate(report, previous ? { previous } : {})];
  const form = formFor(report.format);
  const findings = [
    ...textTable(unitName, '', report, form.defaultTitle),
    ...emptyParts(unitName, '', report),
    ...(previous ? textRepeat(unitName, '', report, previous, { threshold: REPEAT_THRESHOLD }) : []),
  ];
  for (const f of findings) out.push({ code: f.code, severity: f.severity, path: f.path ?? '$', message: f.message });
  return out;
}

export interface FieldChange {
  path: string;
  label: string;
  before: unknown;
  after: unknown;
}

/** Leaf values of a JSON value by path (arrays by index). */
function leaves(value: unknown, path: PathSegment[] = [], out = new Map<string, { path: PathSegment[]; value: unknown }>()) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    if (entries.length === 0) out.set(formatPath(path), { path, value });
    for (const [k, v] of entries) leaves(v, [...path, k], out);
  } else out.set(formatPath(path), { path, value });
  return out;
}

/** Field by field: every leaf whose value differs, with its official label. */
export function compareBodies(a: string, b: string): FieldChange[] {
  const va = safeJson(a);
  const vb = safeJson(b);
  const la = leaves(va);
  const lb = leaves(vb);
  const format = (vb as { format?: string } | null)?.format ?? (va as { format?: string } | null)?.format;
  let form: ReturnType<typeof formFor>;
  try {
    form = formFor(format);
  } catch {
    form = formFor();
  }
  const changes: FieldChange[] = [];
  for (const key of new Set([...la.keys(), ...lb.keys()])) {
    const x = la.get(key);
    const y = lb.get(key);
    if (x && y && JSON.stringify(x.value) === JSON.stringify(y.value)) continue;
    const path = (y ?? x)!.path;
    changes.push({ path: key, label: describePath(path, form), before: x?.value ?? null, after: y?.value ?? null });
  }
  return changes;
}

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
};

/** The official label of a path written as text (`a.b[0].c`); the path itself when it names nothing. */
export function pathLabel(path: string, format?: string): string {
  const segments: PathSegment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/gu)) segments.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  try {
    return describePath(segments, formFor(format));
  } catch {
    return path;
  }
}
