/**
 * One way in: every file that becomes a report — the model's own JSON, a published DOCX, HTML or
 * PDF — is read by a reader of this table, whatever door it came through (the CLI's commands,
 * the batch, the server's API and so its editor, a summary's members, the library). A reader says
 * which names, media types and first bytes are its own, and turns bytes into the report model.
 *
 * A number's JSON text survives every door: the JSON reader keeps each number token as written,
 * so a count written `1.0` is an R7 error and a fee written `12.50` stays `12.50`.
 */
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { readDocx } from '../import/docx.js';
import { readHtml } from '../import/html.js';
import { importBlocks, type ImportResult, type ReadResult } from '../import/index.js';
import { refuse } from '../import/refuse.js';
import { parseJsonText, parseReportValue, type ParseResult } from '../model/load.js';
import { LIMITS, type Report, type ReportInput } from '../model/schema.js';
import { runRules } from '../rules/index.js';

export type ReaderKind = 'json' | 'docx' | 'doc' | 'html' | 'pdf';

/** A file read as a report. */
export interface ReadReport {
  kind: ReaderKind;
  /**
   * The report as read: the JSON file's own value (a fee written as the number 12.50 kept as the
   * text "12.50"), or what the importer found in a document (numbers it does not hold are 0).
   */
  report: ReportInput;
  /** The report against the schema. Always ok for JSON (the JSON reader refuses the rest). */
  parsed: ParseResult;
  /** What reading noticed (warnings): text that could not be placed, a table read in part. */
  notes: Diagnostic[];
  /** Numbers and parts a document does not hold (never for JSON). */
  gaps: Diagnostic[];
}

export interface Reader {
  kind: ReaderKind;
  /** What the content is, for messages (“内容不是…”). */
  label: string;
  /** File name extensions, lower case with the dot. */
  extensions: readonly string[];
  /** Media types (Content-Type without parameters). */
  mediaTypes: readonly string[];
  /** Whether the first bytes are this reader's. */
  sniff(bytes: Uint8Array): boolean;
  /** Bytes → report. Throws ReportError (input) for a file it refuses or cannot read. */
  read(bytes: Uint8Array, name: string): Promise<ReadReport>;
}

const decodeHead = (bytes: Uint8Array): string =>
  new TextDecoder()
    .decode(bytes.subarray(0, 1024))
    .replace(/^\ufeff/u, '')
    .trimStart();
const startsWith = (bytes: Uint8Array, sig: readonly number[]) => sig.every((b, i) => bytes[i] === b);
const isZip = (bytes: Uint8Array) => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
/** The OLE2 compound file of Word 97–2003 (and of .xls/.ppt: LibreOffice's conversion says which it is). */
const isOle = (bytes: Uint8Array) => startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/**
 * A PDF by its structure, not a substring: the header `%PDF-1.x` at the start, or after some bytes
 * of binary junk (as readers tolerate) but never after markup or words. An HTML page that mentions
 * `%PDF-` in its first kilobyte is not a PDF.
 */
const isPdf = (bytes: Uint8Array): boolean => {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const at = head.search(/%PDF-\d\.\d/u);
  if (at < 0) return false;
  // What comes before the header may be junk bytes, never text with markup in it.
  return at === 0 || !/[<>{}]|[\p{L}\s]{8}/u.test(head.slice(0, at));
};

/**
 * The model's own JSON, synchronously: decoded, parsed with each number's text kept, then
 * schema-checked. Throws ReportError (input) naming the file.
 */
export function readJsonReport(bytes: Uint8Array | string, name?: string): ReadReport & { parsed: { ok: true; report: Report } } {
  const json = parseJsonText(bytes);
  if (!json.ok) throw new ReportError('input', json.diagnostics, name);
  const parsed = parseReportValue(json.value, json.numbers);
  if (!parsed.ok) throw new ReportError('input', parsed.diagnostics, name);
  return { kind: 'json', report: json.value as ReportInput, parsed, notes: [], gaps: [] };
}

/** A published document: its blocks mapped onto the form by src/import. */
const document = (read: (bytes: Uint8Array, name: string) => ReadResult | Promise<ReadResult>, kind: ReaderKind) => {
  return async (bytes: Uint8Array, name: string): Promise<ReadReport> => {
    let blocks: ReadResult;
    try {
      blocks = await read(bytes, name);
    } catch (e) {
      // What a reader's own limits did not foresee (a library's recursion, an array too long) is
      // still the document's doing: a named refusal, never an internal error.
      if (e instanceof ReportError || !(e instanceof Error)) throw e;
      refuse('CORRUPT', `文档结构异常，无法读取（${e.message.slice(0, 200)}），拒绝导入`, name);
    }
    return { kind, ...importBlocks(blocks, name) };
  };
};

/** The readers, in the order content is sniffed. */
export const READERS: readonly Reader[] = [
  {
    kind: 'pdf',
    label: 'PDF',
    extensions: ['.pdf'],
    mediaTypes: ['application/pdf'],
    sniff: isPdf,
    read: document(async (bytes, name) => (await import('../import/pdf.js')).readPdf(bytes, name), 'pdf'),
  },
  {
    kind: 'docx',
    label: 'DOCX 文档',
    extensions: ['.docx'],
    mediaTypes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    // The ZIP container: whether it holds a Word document is the DOCX reader's to say.
    sniff: isZip,
    read: document(readDocx, 'docx'),
  },
  {
    kind: 'doc',
    label: '旧版 Word 文档（.doc）',
    extensions: ['.doc'],
    mediaTypes: ['application/msword'],
    sniff: isOle,
    // Converted to DOCX by LibreOffice when installed (src/import/doc.ts), else refused naming the package.
    read: document(async (bytes, name) => (await import('../import/doc.js')).readDoc(bytes, name), 'doc'),
  },
  {
    kind: 'json',
    label: 'JSON 文本',
    extensions: ['.json'],
    mediaTypes: ['application/json'],
    sniff: (bytes) => decodeHead(bytes).startsWith('{'),
    read: async (bytes, name) => readJsonReport(bytes, name),
  },
  {
    kind: 'html',
    label: 'HTML 网页',
    extensions: ['.html', '.htm', '.xhtml'],
    mediaTypes: ['text/html', 'application/xhtml+xml'],
    sniff: (bytes) => /^<(?:!doctype\s+html|html|\?xml|head|body|meta|table|p|div|!--)/iu.test(decodeHead(bytes)),
    read: document(readHtml, 'html'),
  },
];

/** Every extension a reader takes (a folder is searched for these). */
export const READER_EXTENSIONS: readonly string[] = READERS.flatMap((r) => r.extensions);

/** What the bytes are, for a refusal: a reader's label, or what else they look like. */
function contentName(bytes: Uint8Array): string {
  const reader = READERS.find((r) => r.sniff(bytes));
  if (reader) return isZip(bytes) ? 'ZIP 压缩包' : reader.label;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'PNG 图片';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'JPEG 图片';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'GIF 图片';
  if (decodeHead(bytes).startsWith('{\\rtf')) return 'RTF 文档';
  return '无法识别的内容';
}

/** The extension of a file name, lower case with its dot ('' when it has none). */
export const extensionOf = (name: string): string => /\.[^./\\]+$/.exec(name)?.[0]?.toLowerCase() ?? '';

export const readerByExtension = (ext: string): Reader | undefined => READERS.find((r) => r.extensions.includes(ext.toLowerCase()));
export const readerByMediaType = (type: string | undefined): Reader | undefined => {
  const t = type?.split(';')[0]?.trim().toLowerCase();
  return t ? READERS.find((r) => r.mediaTypes.includes(t)) : undefined;
};

/** The reader a file name's extension picks; a name no reader claims is refused, saying what can be read. */
export function readerForName(name: string): Reader {
  const ext = extensionOf(name);
  const reader = readerByExtension(ext);
  if (reader) return reader;
  const old = ext === '.wps' ? '（.wps 请先另存为 .docx）' : '';
  refuse('EXTENSION', `不支持的文件类型“${ext || '（无扩展名）'}”：可读取 .docx、.doc、.pdf、.html/.htm 和 .json${old}`, name);
}

export interface PickOptions {
  /** The media type the file came with (an HTTP upload). */
  contentType?: string;
  /**
   * A name no reader claims: `json` reads it as the model (`xxgk validate /dev/stdin`), `sniff`
   * lets the content decide; by default it is refused.
   */
  otherwise?: 'json' | 'sniff';
}

/**
 * The reader for a file: by its name's extension, else its media type, else (if asked) what the
 * first bytes are. A document whose content is not what its name or type says is refused; JSON
 * is left to the JSON reader, whose messages say where the text goes wrong.
 */
export function pickReader(bytes: Uint8Array, name: string, options: PickOptions = {}): Reader {
  const ext = extensionOf(name);
  let reader = readerByExtension(ext) ?? readerByMediaType(options.contentType);
  if (!reader && options.otherwise === 'json') reader = READERS.find((r) => r.kind === 'json')!;
  if (!reader && options.otherwise === 'sniff') {
    reader = READERS.find((r) => r.sniff(bytes));
    if (!reader) refuse('UNKNOWN_TYPE', '无法识别的文件类型：请上传 DOCX、DOC、PDF、HTML 或 JSON 格式的报告', name);
  }
  reader ??= readerForName(name);
  if (reader.kind !== 'json' && !reader.sniff(bytes)) {
    if (bytes.length === 0) refuse('EMPTY', '文件为空', name);
    const claimed = readerByExtension(ext) ? `文件扩展名为 ${ext}` : `文件类型为 ${options.contentType}`;
    refuse('NOT_WHAT_IT_SAYS', `${claimed}，但内容不是${reader.label}（实际是${contentName(bytes)}），拒绝导入`, name);
  }
  return reader;
}

/**
 * Bytes → report through the reader the file's name (or media type, or content) picks. Throws
 * ReportError (input) for a file that is too large, refused or unreadable.
 */
export async function readReport(bytes: Uint8Array, name: string, options: PickOptions = {}): Promise<ReadReport> {
  if (bytes.length > LIMITS.fileBytes) refuse('TOO_LARGE', `文件过大：${bytes.length} 字节，上限 ${LIMITS.fileBytes} 字节（5 MB）`, name);
  return pickReader(bytes, name, options).read(bytes, name);
}

/**
 * The report a door checks or renders: a number the document does not hold is an error here,
 * not a 0 (a summary must not add, nor a report print, what nobody reported). Throws ReportError
 * (input) with the gaps and the reading notes.
 */
export function reportOf(read: ReadReport, name?: string): Report {
  if (read.gaps.length)
    throw new ReportError('input', [...read.gaps.map((g) => ({ ...g, severity: 'error' as const })), ...read.notes], name);
  if (!read.parsed.ok) throw new ReportError('input', read.parsed.diagnostics, name);
  return read.parsed.report;
}

/**
 * Importing a report: a published DOCX, HTML or PDF (or the model's own JSON) → the report
 * model. Gaps come back as `gaps` with the missing numbers 0; `diagnostics` holds the reading
 * notes and the 勾稽 rules' findings, all as warnings (a published report is what it is).
 * Refused input throws a ReportError (input).
 *
 *   const { report, diagnostics, gaps } = await importReport(bytes, 'report.pdf');
 */
export async function importReport(bytes: Uint8Array, filename: string): Promise<ImportResult> {
  return importResultOf(await readReport(bytes, filename));
}

/** A report read (wherever it was read) as an import: the reading notes and the rules' findings as warnings, the gaps. */
export function importResultOf(read: ReadReport): ImportResult {
  const rules = read.parsed.ok ? runRules(read.parsed.report) : [];
  return { report: read.report, diagnostics: [...read.notes, ...asWarnings(rules)], gaps: read.gaps };
}

/** A published document's blocks (tables and paragraphs), for a look at what a reader found. */
export async function readDocument(bytes: Uint8Array, filename: string): Promise<ReadResult> {
  const reader = pickReader(bytes, filename);
  if (reader.kind === 'docx') return readDocx(bytes, filename);
  if (reader.kind === 'doc') return (await import('../import/doc.js')).readDoc(bytes, filename);
  if (reader.kind === 'html') return readHtml(bytes, filename);
  if (reader.kind === 'pdf') return (await import('../import/pdf.js')).readPdf(bytes, filename);
  refuse('EXTENSION', 'JSON 文件不需要读取为文档', filename);
}

/** Rule findings on a published report are warnings: the document says what it says. */
const asWarnings = (ds: Diagnostic[]): Diagnostic[] => ds.map((d) => ({ ...d, severity: 'warning' }));
