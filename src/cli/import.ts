/** `xxgk import` and `xxgk init --from`: published documents → report JSON. */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { EXIT, ReportError, type Diagnostic } from '../diagnostics.js';
import { nextYearReport } from '../model/next-year.js';
import { parseReportValue } from '../model/load.js';
import { importResultOf } from '../readers/index.js';
import { withReadPool } from '../app/pool.js';
import { readInputFile } from '../app/files.js';
import { isUrl } from '../app/fetch.js';
import { checkOutputs, ensureDir, writeAtomic } from '../app/output.js';
import { exitCodeOf, formatDiagnostic } from './output.js';

export interface ImportFlags {
  out?: string;
  partial?: boolean;
}

const print = (ds: readonly Diagnostic[], file: string) => {
  for (const d of ds) process.stderr.write(`${formatDiagnostic(d, file)}\n`);
};

/** A URL's path (`/a/2024ndbg.html`), for naming its output; `index` when it has none or is malformed. */
function urlPath(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname).replace(/\/+$/u, '') || 'index';
  } catch {
    return 'index';
  }
}

/** Where each input's JSON goes: stdout, one file, or `<folder>/<basename>.json`. */
function target(out: string | undefined, input: string, many: boolean): { dir: string; name: string } | undefined {
  if (out === undefined) return undefined;
  // A URL is named by its path's last segment (`…/2024ndbg.html` → 2024ndbg.json).
  const file = isUrl(input) ? urlPath(input) : input;
  const folder =
    many ||
    out.endsWith('/') ||
    out.endsWith('\\') ||
    (existsSync(out) && statSync(out).isDirectory()) ||
    extname(out).toLowerCase() !== '.json';
  if (folder) return { dir: out, name: `${basename(file, extname(file))}.json` };
  return { dir: dirname(out), name: basename(out) };
}

export async function runImport(files: string[], opts: ImportFlags): Promise<number> {
  const many = files.length > 1;
  if (many && opts.out === undefined)
    throw new ReportError('input', [{ code: 'ARGS', severity: 'error', path: '$', message: '导入多个文件时须用 -o 指定输出文件夹' }]);
  // Two inputs that would write the same <basename>.json (a.pdf and a.docx): refused before reading.
  const names = new Map<string, string>();
  for (const file of files) {
    const to = target(opts.out, file, many);
    if (!to) continue;
    const key = `${to.dir}/${to.name}`;
    const other = names.get(key);
    if (other !== undefined)
      throw new ReportError('input', [
        { code: 'ARGS', severity: 'error', path: '$', message: `${other} 和 ${file} 都会写成 ${to.name}，请分开导入` },
      ]);
    names.set(key, file);
  }
  // No output may be an input, a link or a device (before anything is read).
  checkOutputs(
    files,
    [...names].map(([key, file]) => ({ file: key, what: `${file} 的输出文件` })),
  );
  // Each document is read on a worker thread, bounded in time and memory (src/app/pool.ts).
  return withReadPool(async (read) => {
    let exit: number = EXIT.ok;
    for (const file of files) {
      try {
        // A URL is fetched (bounded) on this thread and read like a file; a file on the read pool.
        const result = isUrl(file)
          ? importResultOf((await (await import('../app/fetch.js')).readUrl(file)).read)
          : importResultOf(await read(readInputFile(file), file));
        print(result.diagnostics, file);
        if (result.gaps.length) {
          print(opts.partial ? result.gaps.map((g) => ({ ...g, severity: 'warning' as const })) : result.gaps, file);
          exit = Math.max(exit, EXIT.rule);
          if (!opts.partial) {
            process.stderr.write(`${file}：有 ${result.gaps.length} 处缺项，未写出（可用 --partial 写出已读到的内容，缺少的数字记为 0）\n`);
            continue;
          }
        }
        const json = `${JSON.stringify(result.report, null, 2)}\n`;
        const to = target(opts.out, file, many);
        if (!to) process.stdout.write(json);
        else {
          ensureDir(to.dir);
          const written = writeAtomic(to.dir, to.name, new TextEncoder().encode(json));
          process.stderr.write(`${file} → ${written}${result.gaps.length ? `（不完整：${result.gaps.length} 处缺项）` : ''}\n`);
        }
      } catch (e) {
        if (!(e instanceof ReportError)) throw e;
        print(e.diagnostics, e.file ?? file);
        process.stderr.write(`${file}：未导入\n`);
        exit = Math.max(exit, exitCodeOf(e.kind));
      }
    }
    return exit;
  });
}

/** `init --from`: next year's skeleton from last year's report (JSON or a published document). */
export async function initFrom(file: string): Promise<string> {
  const bytes = readInputFile(file);
  const result = importResultOf(await withReadPool((read) => read(bytes, file)));
  if (result.gaps.length) throw new ReportError('rule', result.gaps, file);
  const parsed = parseReportValue(result.report);
  if (!parsed.ok) throw new ReportError('input', parsed.diagnostics, file);
  return `${JSON.stringify(nextYearReport(parsed.report), null, 2)}\n`;
}
