/** Refusals: input the importer will not read (exit 2), with a message for people. */
import { ReportError, type Diagnostic } from '../diagnostics.js';

export const refusal = (code: string, message: string): Diagnostic => ({ code, severity: 'error', path: '$', message });

export function refuse(code: string, message: string, file?: string): never {
  throw new ReportError(2, [refusal(code, message)], file);
}

export type Kind = 'pdf' | 'docx' | 'html' | 'json';

/** What the bytes are, by their magic numbers, whatever the file is called. */
export function sniff(bytes: Uint8Array): Kind | 'zip' | 'png' | 'jpeg' | 'gif' | 'ole' | 'rtf' | 'unknown' {
  const head = Buffer.from(bytes.subarray(0, 1024));
  const at = (sig: number[], off = 0) => sig.every((b, i) => head[off + i] === b);
  if (head.indexOf('%PDF-') >= 0) return 'pdf';
  if (at([0x50, 0x4b, 0x03, 0x04]) || at([0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (at([0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (at([0xff, 0xd8, 0xff])) return 'jpeg';
  if (at([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (at([0xd0, 0xcf, 0x11, 0xe0])) return 'ole';
  if (head.toString('latin1').startsWith('{\\rtf')) return 'rtf';
  const text = head
    .toString('utf8')
    .replace(/^\ufeff/u, '')
    .trimStart();
  if (text.startsWith('{')) return 'json';
  if (/^<(?:!doctype\s+html|html|\?xml|head|body|meta|table|p|div|!--)/iu.test(text)) return 'html';
  return 'unknown';
}

export const KIND_NAMES: Record<string, string> = {
  pdf: 'PDF',
  zip: 'ZIP 压缩包',
  docx: 'DOCX 文档',
  png: 'PNG 图片',
  jpeg: 'JPEG 图片',
  gif: 'GIF 图片',
  ole: '旧版 Office 文档（.doc/.xls，请另存为 .docx）',
  rtf: 'RTF 文档',
  json: 'JSON 文本',
  html: 'HTML 网页',
  unknown: '无法识别的内容',
};
