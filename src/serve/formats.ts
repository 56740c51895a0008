/** The output formats the server renders: the writers' table (src/writers), looked up by `?format=`. */
import { WRITER_IDS, writerById, type Writer } from '../writers/index.js';

export type FormatLookup = { ok: true; format: Writer } | { ok: false; status: number; message: string };

export function outputFormat(name: string | null): FormatLookup {
  const format = name ? writerById(name) : undefined;
  if (!format)
    return { ok: false, status: 400, message: `未知的格式 ${JSON.stringify(name ?? '')}：format 应为 ${WRITER_IDS.join('、')} 之一` };
  return { ok: true, format };
}

/** The formats that can be rendered (the editor shows a download button for each). */
export const availableFormats = (): string[] => [...WRITER_IDS];
