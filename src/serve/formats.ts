/**
 * The output formats the server can render, in one switch: what to ask the render job for, and
 * how the answer is labelled. The HTML writer plugs in here (`html`), nowhere else.
 */
import type { JobOptions } from '../batch/job.js';

export interface OutputFormat {
  contentType: string;
  extension: string;
  /** What the render job writes for this format. */
  job: Partial<JobOptions>;
}

const FORMATS: Record<string, OutputFormat | null> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf', job: { pdf: true, docx: false } },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    job: { pdf: false, docx: true },
  },
  html: { contentType: 'text/html; charset=utf-8', extension: 'html', job: { pdf: false, docx: false, html: true } },
};

export type FormatLookup = { ok: true; format: OutputFormat } | { ok: false; status: number; message: string };

export function outputFormat(name: string | null): FormatLookup {
  const known = Object.keys(FORMATS);
  if (!name || !Object.hasOwn(FORMATS, name))
    return { ok: false, status: 400, message: `未知的格式 ${JSON.stringify(name ?? '')}：format 应为 ${known.join('、')} 之一` };
  const format = FORMATS[name];
  if (!format) return { ok: false, status: 501, message: `${name.toUpperCase()} 格式的生成尚未就绪` };
  return { ok: true, format };
}

/** The formats that can be rendered now (the editor shows a download button for each). */
export const availableFormats = (): string[] =>
  Object.entries(FORMATS)
    .filter(([, f]) => f)
    .map(([k]) => k);
