/**
 * Legacy Word documents (.doc, Word 97–2003, still common as portal attachments): converted to DOCX
 * by LibreOffice when it is installed — in a temporary folder, with its own user profile (so it
 * neither waits for nor disturbs a running LibreOffice) and a time limit — then read as DOCX.
 * Without LibreOffice the file is refused, naming the package that provides it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReadResult } from './blocks.js';
import { readDocx } from './docx.js';
import { refuse } from './refuse.js';

/** How long one conversion may take (a cold LibreOffice start included). */
export const DOC_TIMEOUT_MS = 60_000;

/** LibreOffice's command on this machine: `XXGK_SOFFICE`, else `soffice` or `libreoffice` on the PATH. */
export function findSoffice(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.XXGK_SOFFICE !== undefined) return env.XXGK_SOFFICE && existsSync(env.XXGK_SOFFICE) ? env.XXGK_SOFFICE : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const name of ['soffice', 'libreoffice']) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** A .doc → DOCX bytes by LibreOffice (refused when it is missing, fails or takes too long). */
export async function convertDoc(bytes: Uint8Array, file?: string, timeoutMs = DOC_TIMEOUT_MS): Promise<Uint8Array> {
  const soffice = findSoffice();
  if (!soffice)
    refuse(
      'NO_CONVERTER',
      '旧版 Word 文档（.doc）需要 LibreOffice 转换后才能导入，本机没有安装：请安装 libreoffice-writer-nogui（Debian/Ubuntu：apt install libreoffice-writer-nogui），或先将文件另存为 .docx',
      file,
    );
  const dir = await mkdtemp(join(tmpdir(), 'xxgk-doc-'));
  try {
    const input = join(dir, 'report.doc');
    const out = join(dir, 'out');
    await writeFile(input, bytes);
    const profile = pathToFileURL(join(dir, 'profile')).href;
    const ok = await new Promise<boolean>((done) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'docx:MS Word 2007 XML', '--outdir', out, input],
        { timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 1 << 20 },
        (error) => done(!error),
      );
    });
    const made = existsSync(out) ? (await readdir(out)).find((f) => f.endsWith('.docx')) : undefined;
    if (!ok || !made)
      refuse(
        'DOC_CONVERSION',
        `LibreOffice 未能在 ${Math.round(timeoutMs / 1000)} 秒内把这个 .doc 文件转换为 DOCX（文件可能已损坏，或不是 Word 文档）：请在 Word 或 WPS 中另存为 .docx 后导入`,
        file,
      );
    return new Uint8Array(await readFile(join(out, made)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A .doc read as the DOCX LibreOffice makes of it; a note says it was converted. */
export async function readDoc(bytes: Uint8Array, file?: string): Promise<ReadResult> {
  const read = readDocx(await convertDoc(bytes, file), file);
  return { ...read, notes: ['旧版 Word 文档（.doc）已由 LibreOffice 转换为 DOCX 后读取', ...read.notes] };
}
