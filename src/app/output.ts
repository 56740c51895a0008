/** Nothing is half-written: bytes go to a temporary file in the target folder, renamed when complete. */
import { existsSync, lstatSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  // One level at a time from the nearest folder that exists: Node's recursive mkdir retries
  // forever, at full CPU, where mkdir says ENOENT under a folder that exists (/proc/x).
  const missing: string[] = [];
  let at = resolve(dir);
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) mkdirSync(d);
  if (!missing.length && !isDirectory(at)) throw Object.assign(new Error(`${dir} is not a folder`), { code: 'EEXIST' });
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
    // A folder where a file should go would fail its rename after the others: look first. A link
    // or a device is never replaced by a file.
    for (const s of staged) {
      current = s.target;
      if (isDirectory(s.target)) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      checkTarget(s.target);
    }
    for (const s of staged) {
      current = s.target;
      renameSync(s.tmp, s.target);
      renamed.push(s.target);
    }
    return renamed;
  } catch (e) {
    for (const f of renamed) quietly(() => rmSync(f, { force: true }));
    if (e instanceof ReportError) throw e;
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

/** A file's identity (device and inode), following links; undefined when it does not exist. */
const identity = (file: string): string | undefined => {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
};

/** Where a path lands: its folder's real path and its name (a new name lands there too). */
const landing = (file: string): string => {
  const abs = resolve(file);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
};

const clash = (message: string): ReportError => new ReportError('input', [{ code: 'OUTPUT_CLASH', severity: 'error', path: '$', message }]);

/**
 * What an output path may be: a new name or a regular file. A symbolic link (even to a regular
 * file) is refused — writing would replace the link, or through it another file — and so is a
 * device, a pipe or a socket: they are never replaced by a file. (A folder fails at the write.)
 */
export function checkTarget(file: string): void {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return; // a new name
  }
  if (st.isSymbolicLink()) throw clash(`输出文件 ${file} 是符号链接：不会替换链接或它指向的文件，请指定一个普通文件或新文件名`);
  // A folder is found by the write itself, which names it (and a batch goes on with the others).
  if (st.isDirectory()) return;
  if (!st.isFile()) throw clash(`输出文件 ${file} 不是普通文件（是设备、管道或套接字）：不会被替换，请指定一个普通文件或新文件名`);
}

/**
 * Before any work: refuse (ReportError input, exit 2) when an output is one of the inputs (by
 * path, or the same file under another name or link), another output of the same run, a link,
 * or anything but a regular file or a new name. `inputs` are the files read (members, last
 * year's report); each output is named with what it is for messages.
 */
export function checkOutputs(inputs: readonly string[], outputs: readonly { file: string; what: string }[]): void {
  const byPath = new Map<string, string>();
  const byId = new Map<string, string>();
  for (const input of inputs) {
    byPath.set(landing(input), input);
    const id = identity(input);
    if (id) byId.set(id, input);
  }
  const outPaths = new Map<string, string>();
  const outIds = new Map<string, string>();
  for (const { file, what } of outputs) {
    checkTarget(file);
    const at = landing(file);
    const id = identity(file);
    const input = byPath.get(at) ?? (id ? byId.get(id) : undefined);
    if (input !== undefined) throw clash(`${what} ${file} 也是输入文件（${input}）：写出会覆盖它，请另选输出位置`);
    const other = outPaths.get(at.toLowerCase()) ?? (id ? outIds.get(id) : undefined);
    if (other !== undefined) throw clash(`${what} ${file} 与${other}是同一个文件：后写的会覆盖先写的，请分别指定`);
    outPaths.set(at.toLowerCase(), `${what} ${file}`);
    if (id) outIds.set(id, `${what} ${file}`);
  }
}

/**
 * Files in different folders committed together (a summary and its workbook): every file is
 * written beside its target first, then all are renamed; if any step fails, none of them is left.
 */
export function writeTogether(files: readonly { file: string; bytes: Uint8Array }[]): string[] {
  const staged = files.map((f) => {
    const dir = dirname(f.file) || '.';
    return { dir, target: join(dir, basename(f.file)), tmp: join(dir, `.${basename(f.file)}.${process.pid}.tmp`), bytes: f.bytes };
  });
  const renamed: string[] = [];
  let current: { dir: string; target: string } | undefined;
  try {
    for (const s of staged) {
      current = s;
      ensureDir(s.dir);
      pending.add(s.tmp);
      writeFileSync(s.tmp, s.bytes);
    }
    for (const s of staged) {
      current = s;
      if (isDirectory(s.target)) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      checkTarget(s.target);
    }
    for (const s of staged) {
      current = s;
      renameSync(s.tmp, s.target);
      renamed.push(s.target);
    }
    return renamed;
  } catch (e) {
    for (const f of renamed) quietly(() => rmSync(f, { force: true }));
    if (e instanceof ReportError) throw e;
    throw outputError(current?.dir ?? '.', e, current?.target, staged.length > 1 ? '（所有输出文件均未写入）' : '');
  } finally {
    for (const s of staged) {
      quietly(() => rmSync(s.tmp, { force: true }));
      pending.delete(s.tmp);
    }
  }
}
