/** Nothing is half-written: bytes go to a temporary file in the target folder, renamed when complete. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ReportError } from './diagnostics.js';

/** The name a report's outputs take: its file name without `.json`. */
export const outputStem = (file: string): string => basename(file).replace(/\.json$/i, '');

/** The first two inputs whose outputs would have one name (and overwrite each other), if any. */
export function clashingInputs(files: readonly string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const f of files) {
    // Lower case: on Windows and macOS Report.pdf and report.pdf are one file.
    const stem = outputStem(f).toLowerCase();
    const first = seen.get(stem);
    if (first !== undefined) return [first, f];
    seen.set(stem, f);
  }
  return undefined;
}

const pending = new Set<string>();

/** Temporary files still being written (removed on SIGINT/SIGTERM by the CLI). */
export function removePending(): void {
  for (const file of pending) rmSync(file, { force: true });
  pending.clear();
}

function outputError(dir: string, e: unknown): ReportError {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: '没有写入权限',
    EPERM: '没有写入权限',
    EROFS: '磁盘为只读',
    ENOSPC: '磁盘空间不足',
    ENOTDIR: '路径不是文件夹',
    EEXIST: '路径已存在且不是文件夹',
  };
  return new ReportError(2, [{
    code: 'OUTPUT',
    severity: 'error',
    path: '$',
    message: `无法写入输出文件夹 ${dir}：${why[code ?? ''] ?? code ?? String(e)}`,
  }]);
}

export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw outputError(dir, e);
  }
}

export function writeAtomic(dir: string, name: string, bytes: Uint8Array): string {
  const target = join(dir, basename(name));
  const tmp = join(dir, `.${basename(name)}.${process.pid}.tmp`);
  pending.add(tmp);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw outputError(dir, e);
  } finally {
    pending.delete(tmp);
  }
  return target;
}
