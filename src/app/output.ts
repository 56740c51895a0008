/** Nothing is half-written: bytes go to a temporary file in the target folder, renamed when complete. */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ReportError } from '../diagnostics.js';

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

const WHY: Record<string, string> = {
  EACCES: '没有写入权限',
  EPERM: '没有写入权限',
  EROFS: '磁盘为只读',
  ENOSPC: '磁盘空间不足',
  EDQUOT: '超出磁盘配额',
  ENOTDIR: '路径中有一级不是文件夹',
  EEXIST: '路径已存在且不是文件夹',
  ENOENT: '路径中的上级文件夹不存在',
  ELOOP: '路径中有循环的符号链接',
  ENAMETOOLONG: '路径过长',
  EISDIR: '已有同名的文件夹',
  EIO: '磁盘读写错误',
};

function outputError(dir: string, e: unknown, file?: string, more = ''): ReportError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = WHY[code ?? ''] ?? `无法写入（${code ?? String(e)}）`;
  return new ReportError('input', [
    {
      code: 'OUTPUT',
      severity: 'error',
      path: '$',
      message: `${file ? `无法写入 ${file}` : `无法写入输出文件夹 ${dir}`}：${why}${more}`,
    },
  ]);
}

/**
 * Create the output folder and make sure a file can be created in it (by creating and removing
 * one): an unwritable folder is found before anything is rendered.
 */
export function ensureDir(dir: string): void {
  if (!dir.trim())
    throw new ReportError('input', [{ code: 'OUTPUT', severity: 'error', path: '$', message: '输出文件夹不能为空', hint: 'out' }]);
  try {
    makeDir(dir);
  } catch (e) {
    throw outputError(dir, e);
  }
  const probe = join(dir, `.xxgk-probe.${process.pid}.tmp`);
  pending.add(probe);
  try {
    writeFileSync(probe, '');
  } catch (e) {
    throw outputError(dir, e);
  } finally {
    quietly(() => rmSync(probe, { force: true }));
    pending.delete(probe);
  }
}

const quietly = (f: () => void): void => {
  try {
    f();
  } catch {
    // nothing to clean up
  }
};

/**
 * mkdir -p, with the real reason when it fails: a recursive mkdir says ENOENT where the folder
 * that should hold the new one is read-only; making that one level alone says EROFS or EACCES.
 */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let child = resolve(dir);
    let parent = dirname(child);
    while (parent !== child && !existsSync(parent)) [child, parent] = [parent, dirname(parent)];
    mkdirSync(child);
    throw e;
  }
}

export interface OutputFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Write one report's files together or not at all: every file goes to a temporary file first;
 * only when all are written are they renamed, and if a rename fails the ones already renamed are
 * removed. Returns the paths written.
 */
export function writeAll(dir: string, files: readonly OutputFile[]): string[] {
  const staged = files.map((f) => ({
    target: join(dir, basename(f.name)),
    tmp: join(dir, `.${basename(f.name)}.${process.pid}.tmp`),
    bytes: f.bytes,
  }));
  const renamed: string[] = [];
  const none = staged.length > 1 ? '（这份报告的文件均未写入）' : '';
  let current: string | undefined;
  try {
    for (const s of staged) {
      current = s.target;
      pending.add(s.tmp);
      writeFileSync(s.tmp, s.bytes);
    }
    // A folder where a file should go would fail its rename after the others: look first.
    for (const s of staged) {
      current = s.target;
      if (isDirectory(s.target)) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    for (const s of staged) {
      current = s.target;
      renameSync(s.tmp, s.target);
      renamed.push(s.target);
    }
    return renamed;
  } catch (e) {
    for (const f of renamed) quietly(() => rmSync(f, { force: true }));
    throw outputError(dir, e, current, none);
  } finally {
    for (const s of staged) {
      quietly(() => rmSync(s.tmp, { force: true }));
      pending.delete(s.tmp);
    }
  }
}

const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export function writeAtomic(dir: string, name: string, bytes: Uint8Array): string {
  return writeAll(dir, [{ name, bytes }])[0]!;
}
