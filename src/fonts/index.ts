/**
 * Font roles, loading (once per process), glyph coverage and measurement. The bundled faces are
 * TrueType subsets of SIL OFL fonts (fonts/README.md); a user may point any role at their own file.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { ReportError, type Diagnostic } from '../diagnostics.js';
import { PACKAGE_ROOT } from '../paths.js';

// The CommonJS build of fontkit is the one pdfkit uses: sharing it lets parsed fonts be shared too.
// Loaded on first use: checking a report's glyphs against the bundled faces needs no font parser.
const require = createRequire(import.meta.url);
let fontkitModule: typeof import('fontkit') | undefined;
export const loadFontkit = (): typeof import('fontkit') => (fontkitModule ??= require('fontkit') as typeof import('fontkit'));
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
  /** The faces by role, each opened (read and parsed) on first use. */
  faces: Record<FontRole, Face>;
  /** The family name of a role's face (without opening a bundled face). */
  family(role: FontRole): string;
  has(role: FontRole, codePoint: number): boolean;
  /** Advance width of a text in pt (no kerning, no letter spacing). */
  measure(role: FontRole, text: string, size: number): number;
}

// ── Loading: one parse per file per process ──────────────────────────────────────────────────
const faces = new Map<string, Face>();

function fontError(role: FontRole | string, message: string): ReportError {
  const label = ROLE_NAMES[role as FontRole] ?? role;
  return new ReportError(2, [{ code: 'FONT', severity: 'error', path: `fonts.${role}`, message: `${label}：${message}` }]);
}

export function openFace(source: FontSource, role: FontRole | string = 'body'): Face {
  const key = `${source.file}\0${source.postscriptName ?? ''}`;
  const hit = faces.get(key);
  if (hit) return hit;
  let data: Buffer;
  try {
    if (!statSync(source.file).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    data = readFileSync(source.file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fontError(role, `${code === 'ENOENT' ? '字体文件不存在' : `无法读取字体文件（${code ?? String(e)}）`}：${source.file}`);
  }
  let font: FontkitFont;
  try {
    const opened = loadFontkit().create(data, source.postscriptName) as unknown as FontkitFont & { fonts?: FontkitFont[] };
    if (opened.fonts) {
      const names = opened.fonts.map((f) => f.postscriptName).join('、');
      throw fontError(role, `${source.file} 是字体集（.ttc），请用 postscriptName 指明其中的字体：${names}`);
    }
    font = opened;
    // Touch the tables we need, so that a corrupt file fails here and not halfway through a PDF.
    void font.unitsPerEm;
    void font.ascent;
    font.glyphForCodePoint(0x4e00).advanceWidth;
  } catch (e) {
    if (e instanceof ReportError) throw e;
    throw fontError(role, `不是可用的字体文件（TrueType/OpenType）：${source.file}（${e instanceof Error ? e.message : String(e)}）`);
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
  try {
    raw = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fontError('config', code === 'ENOENT' ? `字体配置文件不存在：${file}` : `字体配置文件不是有效的 JSON：${file}`);
  }
  const parsed = FontConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const diagnostics: Diagnostic[] = parsed.error.issues.map((i) => ({
      code: 'FONT',
      severity: 'error',
      path: `fonts.${i.path.join('.')}`,
      message:
        i.code === 'unrecognized_keys'
          ? `字体配置 ${file}：未知的字体角色 ${i.keys.join('、')}；可用：${ROLES.join('、')}`
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

// ── What the bundled faces cover, without parsing them (fonts/coverage.json) ────────────────
interface BundledCoverage {
  family: string;
  covers(codePoint: number): boolean;
}
let coverage: Map<string, BundledCoverage> | undefined;

/** Whether a sorted array holds a value. */
function holds(sorted: Uint32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Coverage of a bundled face by its file path, or undefined for any other file. */
function bundledCoverage(file: string): BundledCoverage | undefined {
  if (!coverage) {
    coverage = new Map();
    const dir = join(PACKAGE_ROOT, 'fonts');
    const data = JSON.parse(readFileSync(join(dir, 'coverage.json'), 'utf8')) as {
      charset: string;
      faces: Record<string, { family: string; missing: string[] }>;
    };
    const lines = readFileSync(join(dir, data.charset), 'utf8').split('\n').filter(Boolean);
    const charset = Uint32Array.from(lines, (line) => parseInt(line.slice(2, line.indexOf('\t')), 16)).sort();
    for (const [name, face] of Object.entries(data.faces)) {
      const missing = new Set(face.missing.map((u) => parseInt(u.slice(2), 16)));
      coverage.set(join(dir, name), { family: face.family, covers: (cp) => !missing.has(cp) && holds(charset, cp) });
    }
  }
  return coverage.get(file);
}

const sets = new Map<string, FontSet>();

export function loadFontSet(config: FontConfig = {}): FontSet {
  const sources = Object.fromEntries(ROLES.map((r) => [r, config[r] ?? BUNDLED[r]])) as Record<FontRole, FontSource>;
  const key = JSON.stringify(sources);
  const hit = sets.get(key);
  if (hit) return hit;
  // A face the user named is opened now, so that a bad file is reported before any work; a bundled
  // face whose coverage is known is opened when something first needs its outlines or metrics.
  const opened: Partial<Record<FontRole, Face>> = {};
  const known = (role: FontRole) => (config[role] ? undefined : bundledCoverage(sources[role].file));
  for (const role of ROLES) if (!known(role)) opened[role] = openFace(sources[role], role);
  const faces = {} as Record<FontRole, Face>;
  for (const role of ROLES)
    Object.defineProperty(faces, role, { enumerable: true, get: () => (opened[role] ??= openFace(sources[role], role)) });
  const set: FontSet = {
    faces,
    family(role) {
      return known(role)?.family ?? this.faces[role].family;
    },
    has(role, cp) {
      const k = known(role);
      return k ? k.covers(cp) : this.faces[role].font.hasGlyphForCodePoint(cp);
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
