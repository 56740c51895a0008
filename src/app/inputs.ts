/**
 * Input files from the paths a command is given, for every command that takes many reports
 * (`xxgk batch`, `xxgk sum`, and what comes next): files as given, folders for the files a
 * reader takes, sorted, no duplicates.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ReportError } from '../diagnostics.js';
import { extensionOf } from '../readers/index.js';

export interface CollectOptions {
  /** Extensions a folder is searched for (lower case, with the dot). Default `.json`. */
  extensions?: readonly string[];
  /** The output folder: not searched (it is added to `skipped`, if given). */
  outDir?: string;
  /** Folders that were not searched because they are the output folder. */
  skipped?: string[];
  /** Files never taken (a command's own outputs), given or found. */
  exclude?: readonly (string | undefined)[];
}

const isLink = (p: string): boolean => {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
};

const errnoText = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? '没有读取权限' : (code ?? String(e));
};

const readError = (message: string) => new ReportError('input', [{ code: 'READ', severity: 'error', path: '$', message }]);

/**
 * Input files from paths: files as given (any extension: the reader says what it cannot read),
 * folders for their files with one of `extensions` (never `batch-report.json`), sorted; no
 * duplicates. Links that lead nowhere are kept, to fail as inputs of their own. Throws
 * ReportError (input) for a path that does not exist or a folder that cannot be read.
 */
export function collectInputs(paths: readonly string[], options?: CollectOptions): string[];
/** The batch's form (as published before CollectOptions): `.json` files, the output folder skipped. */
export function collectInputs(paths: readonly string[], outDir?: string, skipped?: string[]): string[];
export function collectInputs(paths: readonly string[], given: CollectOptions | string = {}, skippedList?: string[]): string[] {
  const options: CollectOptions = typeof given === 'string' ? { outDir: given, skipped: skippedList } : given;
  const extensions = options.extensions ?? ['.json'];
  const exclude = new Set(options.exclude?.filter((f): f is string => Boolean(f)).map((f) => resolve(f)));
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (f: string) => {
    const abs = resolve(f);
    if (!seen.has(abs) && !exclude.has(abs)) seen.add(abs), out.push(f);
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      // A link to nothing (or a loop of links) is an input that fails, named, like any other.
      if (isLink(p)) add(p);
      else throw readError(`${p}：文件或文件夹不存在`);
      continue;
    }
    if (!st.isDirectory()) {
      add(p);
      continue;
    }
    if (options.outDir && resolve(p) === resolve(options.outDir)) {
      options.skipped?.push(p);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(p);
    } catch (e) {
      throw readError(`${p}：无法读取文件夹（${errnoText(e)}）`);
    }
    for (const name of names.filter((n) => extensions.includes(extensionOf(n)) && n !== 'batch-report.json').sort()) {
      const f = join(p, name);
      let file: boolean;
      try {
        file = statSync(f).isFile();
      } catch {
        file = isLink(f);
      }
      if (file) add(f);
    }
  }
  return out;
}

/** A path for people: relative to the working folder when inside it, else the file name alone. */
export function displayName(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, resolve(file));
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split('\\').join('/');
  return file.split(/[\\/]/).pop() ?? file;
}
