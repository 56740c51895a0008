/**
 * Font roles, loading (once per process), glyph coverage and measurement. The bundled faces are
 * TrueType subsets of SIL OFL fonts (fonts/README.md); a user may point any role at their own file.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ReportError } from '../diagnostics.js';
import { PACKAGE_ROOT } from '../paths.js';
import { readBounded, TooLargeError } from '../read.js';
import { dropTablesInPlace, isCollection, readDirectory, writeSfnt } from './sfnt.js';

// fontkit is loaded on first use: checking a report's glyphs against the bundled faces needs no font parser.
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
  /**
   * The face as it is measured, drawn and embedded: one font (taken out of a collection) without
   * the OpenType layout tables (see LAYOUT_TABLES), parsed once; and its bytes.
   */
  font: FontkitFont;
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
  /**
   * Width of a run of text in pt as the PDF draws it (no letter spacing): shaped by fontkit on
   * the drawing face, as pdfkit shapes a run. Measuring and drawing use the same face and the
   * same call, so a line the layout sets to a width is drawn to that width.
   */
  measure(role: FontRole, text: string, size: number): number;
  /** The same, with the number of glyphs drawn (letter spacing is added after each glyph). */
  shape(role: FontRole, text: string, size: number): { width: number; glyphs: number };
}

// ── Loading: one parse per file per process ──────────────────────────────────────────────────
const faces = new Map<string, Face>();

/** A font problem as a diagnostic naming the role (or the configuration file). */
export function fontError(role: FontRole | string, message: string): ReportError {
  // (The configuration's own messages name it: 字体配置文件…)
  const label = ROLE_NAMES[role as FontRole] ?? (role === 'config' ? '' : role);
  return new ReportError(2, [
    { code: 'FONT', severity: 'error', path: `fonts.${role}`, message: label ? `${label}：${message}` : message },
  ]);
}

/** A font file is at most this big (the CJK faces of a system are 10–40 MB). */
export const FONT_FILE_LIMIT = 64 * 1024 * 1024;

export const clipName = (s: string): string => (s.length > 64 ? `${s.slice(0, 64)}…` : s);

/** Why a file could not be read, in words. */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return '不存在';
  if (code === 'EACCES' || code === 'EPERM') return '没有读取权限';
  if (code === 'ELOOP') return '是循环的符号链接，无法读取';
  if (code === 'EISDIR') return '是文件夹，不是文件';
  return `无法读取（${code ?? String(e)}）`;
}

// ── Font files shared between threads ───────────────────────────────────────────────────────
/**
 * Font files read by another thread of this process into memory both threads see. `state[0]` is
 * 0 while they are being read and 1 when done; `state[1 + i]` is 1 if the i-th file was read.
 */
export interface SharedFontFiles {
  files: string[];
  bytes: SharedArrayBuffer[];
  state: Int32Array;
}

/** Shared files this thread opens its faces from (useSharedFontFiles). */
let shared: SharedFontFiles | undefined;

/**
 * The font files of a configuration, to be read once into memory that render workers share: a
 * batch's two workers then keep one 14 MB set of faces between them. `shareFontFiles` gives the
 * (empty) shared memory at once, so that workers can start; `fill` reads the files into it while
 * they do, and drops the layout tables of a single font there (so that no thread writes to the
 * bytes again). A file that cannot be read is marked so: the worker that opens it reads it itself
 * and reports why, as for any other file.
 */
export function shareFontFiles(config: FontConfig = {}): { shared: SharedFontFiles; fill: () => void } {
  const files = [...new Set(ROLES.map((role) => (config[role] ?? BUNDLED[role]).file))];
  const bytes = files.map((file) => {
    try {
      const st = statSync(file);
      return new SharedArrayBuffer(st.isFile() && st.size <= FONT_FILE_LIMIT ? st.size : 0);
    } catch {
      return new SharedArrayBuffer(0);
    }
  });
  const state = new Int32Array(new SharedArrayBuffer(4 * (files.length + 1)));
  const fill = () => {
    try {
      files.forEach((file, i) => {
        const room = bytes[i]!;
        if (!room.byteLength) return;
        try {
          const data = readBounded(file, room.byteLength, (size) => Buffer.from(room, 0, size));
          if (data.length !== room.byteLength || data.buffer !== room) return;
          if (!isCollection(data)) dropTablesInPlace(data, LAYOUT_TABLES);
          Atomics.store(state, 1 + i, 1);
        } catch {
          // read (and reported) by the thread that opens it
        }
      });
    } finally {
      Atomics.store(state, 0, 1);
      Atomics.notify(state, 0);
    }
  };
  return { shared: { files, bytes, state }, fill };
}

/** Open the faces of these files from the shared bytes (shareFontFiles) instead of reading them. */
export function useSharedFontFiles(files: SharedFontFiles): void {
  shared = files;
}

/** A file's shared bytes, once the thread reading them is done; undefined if it could not. */
function sharedFile(file: string): Buffer | undefined {
  const i = shared?.files.indexOf(file) ?? -1;
  if (!shared || i < 0) return undefined;
  // (Reading 14 MB takes the other thread some 60 ms; this thread loads its modules meanwhile.)
  Atomics.wait(shared.state, 0, 0, 10_000);
  return Atomics.load(shared.state, 1 + i) === 1 ? Buffer.from(shared.bytes[i]!) : undefined;
}

export function openFace(source: FontSource, role: FontRole | string = 'body'): Face {
  const key = `${source.file}\0${source.postscriptName ?? ''}`;
  const hit = faces.get(key);
  if (hit) return hit;
  let data: Buffer;
  try {
    const fromShared = sharedFile(source.file);
    if (fromShared) data = fromShared;
    else {
      // A regular file within the size limit: never /dev/zero or a pipe read without end.
      if (!statSync(source.file).isFile()) throw fontError(role, `不是普通文件（可能是文件夹、设备或管道）：${source.file}`);
      data = readBounded(source.file, FONT_FILE_LIMIT);
    }
  } catch (e) {
    if (e instanceof ReportError) throw e;
    if (e instanceof TooLargeError)
      throw fontError(
        role,
        `字体文件过大：${e.size ?? `超过 ${FONT_FILE_LIMIT}`} 字节，上限 ${FONT_FILE_LIMIT} 字节（64 MB）：${source.file}`,
      );
    throw fontError(role, `字体文件${fileProblem(e)}：${source.file}`);
  }
  let font: FontkitFont;
  /** Which face of a collection (0 for a single font). */
  let index = 0;
  try {
    // Opened without the name: fontkit takes a name given for a single font as a variation, and
    // returns null for a name a collection does not have.
    const opened = loadFontkit().create(data) as unknown as (FontkitFont & { fonts?: FontkitFont[] }) | null;
    if (!opened) throw new Error('not a font');
    const wanted = source.postscriptName;
    // (fontkit makes the collection's font objects anew each time `fonts` is read.)
    const members = opened.fonts;
    if (members) {
      const names = members.map((f) => f.postscriptName).join('、');
      if (!wanted) throw fontError(role, `${source.file} 是字体集（.ttc），请用 postscriptName 指明其中的字体：${names}`);
      const hit = members.find((f) => f.postscriptName === wanted);
      if (!hit) throw fontError(role, `字体集 ${source.file} 中没有 PostScript 名称为 "${clipName(wanted)}" 的字体；其中有：${names}`);
      font = hit;
      index = members.indexOf(hit);
    } else {
      if (wanted && wanted !== opened.postscriptName)
        throw fontError(
          role,
          `${source.file} 是单个字体（PostScript 名称为 ${opened.postscriptName}），与配置中的 postscriptName "${clipName(wanted)}" 不符：请删去 postscriptName，或改为 ${opened.postscriptName}`,
        );
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
  const { familyName: family, postscriptName } = font;
  let drawing: { data: Buffer; font: FontkitFont };
  try {
    drawing = drawingFace(data, index);
    drawing.font.glyphForCodePoint(0x4e00).advanceWidth;
  } catch {
    throw fontError(role, `不是可用的字体文件（TrueType/OpenType 字体或 .ttc 字体集），或文件已损坏：${source.file}`);
  }
  font = drawing.font;
  // TrueType outlines: a glyf table (read from the face's own table directory, not fontkit's internals).
  const trueType = readDirectory(drawing.data, 0).some((t) => t.tag === 'glyf');
  const face: Face = {
    source,
    family,
    postscriptName,
    font,
    data: drawing.data,
    trueType,
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent,
    descent: font.descent,
    lineGap: font.lineGap,
  };
  faces.set(key, face);
  return face;
}

/**
 * The OpenType layout tables (substitution, positioning, their definitions) and the AAT and
 * TrueType kerning tables, which the faces are drawn without. Word applies no kerning and no
 * ligatures by default, LibreOffice neither kerns a DOCX nor localizes its digits; fontkit would
 * (kerning, `liga`, script-dependent `locl` forms of digits inside Latin words). Without these
 * tables a run is its characters' default glyphs at their advance widths in the PDF, in Word and
 * in LibreOffice alike, by construction. It is also fast: fontkit would read them and plan a
 * shaping pass for every run of every document (pdfkit parses its fonts per document).
 */
export const LAYOUT_TABLES: ReadonlySet<string> = new Set(['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'MATH', 'morx', 'mort', 'kerx', 'kern']);

/**
 * One face of a file (the `index`th of a collection) as a single font without LAYOUT_TABLES. The
 * bytes of a single font (read for this face alone) are changed in place, its table directory
 * only; a face of a collection is written out with its tables.
 */
function drawingFace(data: Buffer, index: number): { data: Buffer; font: FontkitFont } {
  let bytes: Buffer;
  if (isCollection(data)) {
    const directory = data.readUInt32BE(12 + 4 * index);
    bytes = writeSfnt(
      data.readUInt32BE(directory),
      readDirectory(data, directory).filter((t) => !LAYOUT_TABLES.has(t.tag)),
    );
  } else bytes = dropTablesInPlace(data, LAYOUT_TABLES);
  return { data: bytes, font: loadFontkit().create(bytes) as unknown as FontkitFont };
}

/** Faces named by role in a font configuration (`--fonts`, src/fonts/config.ts). */
export type FontConfig = Partial<Record<FontRole, FontSource>>;

// ── The set of faces for a document ───────────────────────────────────────────────────────────
interface Shaped {
  /** Advance in font units. */
  advance: number;
  glyphs: number;
}
const shapeCache = new WeakMap<FontkitFont, Map<string, Shaped>>();
/** Bound on the distinct runs remembered per face (a long-running server sees many). */
const SHAPE_CACHE_SIZE = 50_000;

/**
 * A run as pdfkit 0.19 shapes it: fontkit's `layout` on the drawing face. That face has no layout
 * tables, so the run is its characters' default glyphs at their advance widths (and pdfkit, which
 * shapes a run word by word between spaces, gets the same widths).
 */
function shapeRun(face: Face, text: string): Shaped {
  const font = face.font;
  let cache = shapeCache.get(font);
  if (!cache) shapeCache.set(font, (cache = new Map()));
  let s = cache.get(text);
  if (s === undefined) {
    const run = font.layout(text);
    s = { advance: run.positions.reduce((a, p) => a + p.xAdvance, 0), glyphs: run.glyphs.length };
    if (cache.size >= SHAPE_CACHE_SIZE) cache.clear();
    cache.set(text, s);
  }
  return s;
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
      return this.shape(role, text, size).width;
    },
    shape(role, text, size) {
      const face = this.faces[role];
      const s = shapeRun(face, text);
      return { width: (s.advance / face.unitsPerEm) * size, glyphs: s.glyphs };
    },
  };
  sets.set(key, set);
  return set;
}
