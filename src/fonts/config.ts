/**
 * The user's font configuration (`--fonts fonts.json`): a role → font file map, checked with zod.
 * Apart from src/fonts/index.ts, so that what loads the faces does not load zod.
 */
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { readBounded, TooLargeError } from '../read.js';
import { clipName, fileProblem, fontError, ROLES, type FontConfig } from './index.js';

/** A font configuration is a few lines of JSON. */
const CONFIG_LIMIT = 1024 * 1024;

const SourceSchema = z.union([
  z.string().min(1),
  z.strictObject({ file: z.string().min(1), postscriptName: z.string().min(1).optional() }),
]);
export const FontConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  title: SourceSchema.optional(),
  body: SourceSchema.optional(),
  heading1: SourceSchema.optional(),
  heading2: SourceSchema.optional(),
  table: SourceSchema.optional(),
  pageNumber: SourceSchema.optional(),
});

/** Read a JSON font config; relative paths are relative to the config file. */
export function readFontConfig(file: string): FontConfig {
  let raw: unknown;
  let text: string;
  try {
    text = readBounded(file, CONFIG_LIMIT)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof TooLargeError) throw fontError('config', `字体配置文件过大（上限 1 MB），不像是字体配置：${file}`);
    throw fontError('config', `字体配置文件${fileProblem(e)}：${file}`);
  }
  try {
    raw = JSON.parse(text);
  } catch {
    throw fontError('config', `字体配置文件不是有效的 JSON：${file}`);
  }
  const parsed = FontConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const diagnostics: Diagnostic[] = parsed.error.issues.map((i) => ({
      code: 'FONT',
      severity: 'error',
      path: `fonts.${i.path.join('.')}`,
      message:
        i.code === 'unrecognized_keys'
          ? `字体配置 ${file}：未知的字体角色 ${i.keys.slice(0, 10).map(clipName).join('、')}${i.keys.length > 10 ? ` 等 ${i.keys.length} 个` : ''}；可用：${ROLES.join('、')}`
          : `字体配置 ${file}：${i.path.join('.')} 应为字体文件路径或 {"file": …, "postscriptName": …}`,
    }));
    throw new ReportError(2, diagnostics);
  }
  const base = dirname(resolvePath(file));
  const config: FontConfig = {};
  for (const role of ROLES) {
    const v = parsed.data[role];
    if (!v) continue;
    const src = typeof v === 'string' ? { file: v } : v;
    config[role] = { ...src, file: isAbsolute(src.file) ? src.file : join(base, src.file) };
  }
  return config;
}
