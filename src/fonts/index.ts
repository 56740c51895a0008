/**
 * Font roles, loading (once per process), glyph coverage and measurement. The bundled faces are
 * TrueType subsets of SIL OFL fonts (fonts/README.md); a user may point any role at their own file.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { PACKAGE_ROOT, readBounded, TooLargeError } from '../paths.js';

// The CommonJS build of fontkit is the one pdfkit uses: sharing it lets parsed fonts be shared too.
const require = createRequire(import.meta.url);
export const fontkit = require('fontkit') as typeof import('fontkit');
type FontkitFont = import('fontkit').Font;

/** What a face is used for. The form (src/form/spec.ts) names the same roles. */
export type FontRole = 'title' | 'body' | 'heading1' | 'heading2' | 'table' | 'pageNumber';

export const ROLES: readonly FontRole[] = ['title', 'body', 'heading1', 'heading2', 'table', 'pageNumber'];

export const ROLE_NAMES: Record<FontRole, string> = {
  title: '标题字体',
  body: '正文字体',
  heading1: '一级标题字体',
  heading2: '二级标题字体',
  table: '表格字体',
  pageNumber: '页码字体',
};

export interface FontSource {
  file: string;
  /** For a .ttc collection: the PostScript name of the face. */
  postscriptName?: string;
}

export const BUNDLED: Record<FontRole, FontSource> = {
  title: { file: join(PACKAGE_ROOT, 'fonts', 'XXGKTitle-Regular.ttf') },
  body: { file: join(PACKAGE_ROOT, 'fonts', 'XXGKSerif-Regular.ttf') },
  heading1: { file: join(PACKAGE_ROOT, 'fonts', 'XXGKSans-Regular.ttf') },
  heading2: { file: join(PACKAGE_ROOT, 'fonts', 'XXGKWenKai-Regular.ttf') },
  table: { file: join(PACKAGE_ROOT, 'fonts', 'XXGKSerif-Regular.ttf') },
  pageNumber: { file: join(PACKAGE_ROOT, 'fonts', 'XXGKSerif-Regular.ttf') },
};

export interface Face {
  source: FontSource;
  /** The family name as an office suite knows it (name table). */
  family: string;
  postscriptName: string;
  font: FontkitFont;
  /** The file's bytes (for embedding in DOCX). */
  data: Buffer;
  /** Whether the outlines are TrueType (glyf): Word embeds only those. */
  trueType: boolean;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  lineGap: number;
}

export interface FontSet {
  faces: Record<FontRole, Face>;
  has(role: FontRole, codePoint: number): boolean;
  /** Advance width of a text in pt (no kerning, no letter spacing). */
  measure(role: FontRole, text: string, size: number): number;
}

// ── Loading: one parse per file per process ──────────────────────────────────────────────────
const faces = new Map<string, Face>();

function fontError(role: FontRole | string, message: string): ReportError {
  // (The configuration's own messages name it: 字体配置文件…)
  const label = ROLE_NAMES[role as FontRole] ?? (role === 'config' ? '' : role);
  return new ReportError(2, [{ code: 'FONT', severity: 'error', path: `fonts.${role}`, message: label ? `${label}：${message}` : message }]);
}

/** A font file is at most this big (the CJK faces of a system are 10–40 MB). */
export const FONT_FILE_LIMIT = 64 * 1024 * 1024;
/** A font configuration is a few lines of JSON. */
const CONFIG_LIMIT = 1024 * 1024;

const clipName = (s: string): string => (s.length > 64 ? `${s.slice(0, 64)}…` : s);

/** Why a file could not be read, in words. */
function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return '不存在';
  if (code === 'EACCES' || code === 'EPERM') return '没有读取权限';
  if (code === 'ELOOP') return '是循环的符号链接，无法读取';
  if (code === 'EISDIR') return '是文件夹，不是文件';
  return `无法读取（${code ?? String(e)}）`;
}

export function openFace(source: FontSource, role: FontRole | string = 'body'): Face {
  const key = `${source.file}\0${source.postscriptName ?? ''}`;
  const hit = faces.get(key);
  if (hit) return hit;
  let data: Buffer;
  try {
    // A regular file within the size limit: never /dev/zero or a pipe read without end.
    if (!statSync(source.file).isFile()) throw fontError(role, `不是普通文件（可能是文件夹、设备或管道）：${source.file}`);
    data = readBounded(source.file, FONT_FILE_LIMIT);
  } catch (e) {
    if (e instanceof ReportError) throw e;
    if (e instanceof TooLargeError)
      throw fontError(role, `字体文件过大：${e.size ?? `超过 ${FONT_FILE_LIMIT}`} 字节，上限 ${FONT_FILE_LIMIT} 字节（64 MB）：${source.file}`);
    throw fontError(role, `字体文件${fileProblem(e)}：${source.file}`);
  }
  let font: FontkitFont;
  try {
    // Opened without the name: fontkit takes a name given for a single font as a variation, and
    // returns null for a name a collection does not have.
    const opened = fontkit.create(data) as unknown as (FontkitFont & { fonts?: FontkitFont[] }) | null;
    if (!opened) throw new Error('not a font');
    const wanted = source.postscriptName;
    if (opened.fonts) {
      const names = opened.fonts.map((f) => f.postscriptName).join('、');
      if (!wanted) throw fontError(role, `${source.file} 是字体集（.ttc），请用 postscriptName 指明其中的字体：${names}`);
      const hit = opened.fonts.find((f) => f.postscriptName === wanted);
      if (!hit) throw fontError(role, `字体集 ${source.file} 中没有 PostScript 名称为 "${clipName(wanted)}" 的字体；其中有：${names}`);
      font = hit;
    } else {
      if (wanted && wanted !== opened.postscriptName)
        throw fontError(role, `${source.file} 是单个字体（PostScript 名称为 ${opened.postscriptName}），与配置中的 postscriptName "${clipName(wanted)}" 不符：请删去 postscriptName，或改为 ${opened.postscriptName}`);
      font = opened;
    }
    // Touch the tables we need, so that a corrupt file fails here and not halfway through a PDF.
    void font.unitsPerEm;
    void font.ascent;
    font.glyphForCodePoint(0x4e00).advanceWidth;
  } catch (e) {
    if (e instanceof ReportError) throw e;
    throw fontError(role, `不是可用的字体文件（TrueType/OpenType 字体或 .ttc 字体集），或文件已损坏：${source.file}`);
  }
  const tables = font as unknown as { directory?: { tables?: Record<string, unknown> } };
  const face: Face = {
    source,
    family: font.familyName,
    postscriptName: font.postscriptName,
    font,
    data,
    trueType: Boolean(tables.directory?.tables?.glyf),
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent,
    descent: font.descent,
    lineGap: font.lineGap,
  };
  faces.set(key, face);
  return face;
}

/** Parsed fonts keyed by their bytes, for pdfkit (see src/pdf/fontcache.ts). */
export function loadedFaces(): Iterable<Face> {
  return faces.values();
}

// ── Font configuration: `--fonts fonts.json` ─────────────────────────────────────────────────
const SourceSchema = z.union([z.string().min(1), z.strictObject({ file: z.string().min(1), postscriptName: z.string().min(1).optional() })]);
export const FontConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  title: SourceSchema.optional(),
  body: SourceSchema.optional(),
  heading1: SourceSchema.optional(),
  heading2: SourceSchema.optional(),
  table: SourceSchema.optional(),
  pageNumber: SourceSchema.optional(),
});
export type FontConfig = Partial<Record<FontRole, FontSource>>;

/** Read a JSON font config; relative paths are relative to the config file. */
export function readFontConfig(file: string): FontConfig {
  let raw: unknown;
  let text: string;
  try {
    text = readBounded(file, CONFIG_LIMIT).toString('utf8').replace(/^\uFEFF/, '');
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

// ── The set of faces for a document ───────────────────────────────────────────────────────────
const widthCache = new WeakMap<FontkitFont, Map<number, number>>();

function advance(face: Face, cp: number): number {
  let cache = widthCache.get(face.font);
  if (!cache) widthCache.set(face.font, (cache = new Map()));
  let w = cache.get(cp);
  if (w === undefined) {
    w = face.font.glyphForCodePoint(cp).advanceWidth / face.unitsPerEm;
    cache.set(cp, w);
  }
  return w;
}

const sets = new Map<string, FontSet>();

export function loadFontSet(config: FontConfig = {}): FontSet {
  const sources = Object.fromEntries(ROLES.map((r) => [r, config[r] ?? BUNDLED[r]])) as Record<FontRole, FontSource>;
  const key = JSON.stringify(sources);
  const hit = sets.get(key);
  if (hit) return hit;
  const set: FontSet = {
    faces: Object.fromEntries(ROLES.map((r) => [r, openFace(sources[r], r)])) as Record<FontRole, Face>,
    has(role, cp) {
      return this.faces[role].font.hasGlyphForCodePoint(cp);
    },
    measure(role, text, size) {
      const face = this.faces[role];
      let w = 0;
      for (const ch of text) w += advance(face, ch.codePointAt(0)!);
      return w * size;
    },
  };
  sets.set(key, set);
  return set;
}
