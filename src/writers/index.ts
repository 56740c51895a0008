/**
 * One way out: the output formats, in one table. A laid-out document (the IR) and its fonts go in,
 * the bytes of one file come out. The CLI's flags (--pdf, --docx, --html), the batch job, the
 * server's /api/render and /api/info (and so the editor's download buttons) all come from here;
 * a new format is one more entry. Each writer's module loads when it is first asked for.
 */
import type { DocxFontMode } from '../docx/index.js';
import type { FontSet } from '../fonts/index.js';
import type { DocumentIR } from '../layout/ir.js';

export interface WriteOptions {
  /** PDF/A-2b (the PDF writer). */
  pdfa?: boolean;
  /** How the DOCX writer names and embeds its fonts. */
  docxFonts?: DocxFontMode;
}

export interface Writer {
  /** Also the CLI flag (`--pdf`), /api/render's `format`, and the name in batch-report.json. */
  id: string;
  /** The output file's extension, with its dot. */
  extension: string;
  /** The Content-Type it is served with. */
  mediaType: string;
  /** What it makes, for people (a CLI flag's help, a download button). */
  description: string;
  /** Made unless other formats are asked for. */
  byDefault: boolean;
  /** Whether it cuts the fonts to the document's characters (the worker readies harfbuzz for it). */
  subsetsFonts: boolean;
  /** Load the writer's module ahead of the first document. */
  load(): Promise<unknown>;
  write(ir: DocumentIR, fonts: FontSet, options?: WriteOptions): Promise<Uint8Array>;
}

const pdf = () => import('../pdf/index.js');
const docx = () => import('../docx/index.js');
const html = () => import('../html/index.js');

/** The writers, in the order their files are made and listed. */
export const WRITERS: readonly Writer[] = [
  {
    id: 'pdf',
    extension: '.pdf',
    mediaType: 'application/pdf',
    description: '生成 PDF',
    byDefault: true,
    subsetsFonts: true,
    load: pdf,
    write: async (ir, fonts, options = {}) => (await pdf()).writePdf(ir, fonts, { pdfa: options.pdfa }),
  },
  {
    id: 'docx',
    extension: '.docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    description: '生成 DOCX（可编辑的 Word 文档）',
    byDefault: true,
    subsetsFonts: true,
    load: docx,
    write: async (ir, fonts, options = {}) => (await docx()).writeDocx(ir, fonts, { fonts: options.docxFonts }),
  },
  {
    id: 'html',
    extension: '.html',
    mediaType: 'text/html; charset=utf-8',
    description: '生成网页 <文件名>.html：单个文件，样式内嵌，不引用任何外部资源，手机可读，可从浏览器打印',
    byDefault: false,
    subsetsFonts: false,
    load: html,
    write: async (ir) => new TextEncoder().encode((await html()).writeHtml(ir)),
  },
];

export const WRITER_IDS: readonly string[] = WRITERS.map((w) => w.id);

export const writerById = (id: string): Writer | undefined => WRITERS.find((w) => w.id === id);

/** The writers for a list of ids, in the table's order; unknown ids are left out. */
export const writersFor = (ids: readonly string[]): Writer[] => WRITERS.filter((w) => ids.includes(w.id));

/** The formats asked for, or the default ones when none is. */
export const chosenFormats = (asked: readonly string[]): string[] =>
  asked.length ? WRITER_IDS.filter((id) => asked.includes(id)) : WRITERS.filter((w) => w.byDefault).map((w) => w.id);
