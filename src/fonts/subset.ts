/**
 * Faces cut to the characters a document prints, for both writers: the DOCX embeds them (a 3–4 MB
 * face per role would make every report 10 MB), and pdfkit is given them to parse (it parses its
 * fonts for every document, and decodes tables such as loca whole: 500 glyphs, not 9,400).
 *
 * The subsetter is harfbuzz's (hb-subset, compiled to WebAssembly by the harfbuzz project's
 * harfbuzzjs), driven through its C API as harfbuzzjs documents it. Each face is copied into the
 * WebAssembly memory and opened once per thread, not once per document: a report's four faces
 * are 14 MB, which a copy per document would move through memory every time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { Face, FontRole, FontSet } from './index.js';

/** hb-subset's C API, as harfbuzz-subset.wasm exports it (pointers are offsets into `memory`). */
interface HbSubset {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_set_add(set: number, value: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}
const HB_MEMORY_MODE_READONLY = 1;

let harfbuzz: HbSubset | undefined;
/** Opened faces by the bytes they were opened from. */
const opened = new WeakMap<Buffer, number>();

function hb(): HbSubset {
  if (!harfbuzz) {
    // V8 first compiles WebAssembly with its baseline compiler (Liftoff), then recompiles hot
    // functions with TurboFan in background threads; a thread (and so the process) that ends
    // waits for those compiles: 300–500 ms after the last DOCX of a run, measured. Subsetting
    // is as fast with the baseline code (4.3 ms a report either way), so WebAssembly compiled
    // from here on stays baseline.
    setFlagsFromString('--liftoff-only');
    const wasm = readFileSync(createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
    harfbuzz = instance.exports as unknown as HbSubset;
    harfbuzz._initialize();
  }
  return harfbuzz;
}

/** A face opened in harfbuzz, kept for the life of the thread (as the bytes are). */
function hbFace(data: Buffer): number {
  let face = opened.get(data);
  if (face === undefined) {
    const h = hb();
    const ptr = h.malloc(data.length);
    if (!ptr) throw new Error('harfbuzz: out of memory');
    new Uint8Array(h.memory.buffer, ptr, data.length).set(data);
    const blob = h.hb_blob_create(ptr, data.length, HB_MEMORY_MODE_READONLY, 0, 0);
    face = h.hb_face_create(blob, 0);
    h.hb_blob_destroy(blob);
    opened.set(data, face);
  }
  return face;
}

/** The face cut to the given characters (and what harfbuzz keeps with them: .notdef, components). */
export function subsetFace(data: Buffer, text: string): Buffer {
  const h = hb();
  const face = hbFace(data);
  const input = h.hb_subset_input_create_or_fail();
  if (!input) throw new Error('harfbuzz: hb_subset_input_create_or_fail failed');
  let subset: number;
  try {
    const unicodes = h.hb_subset_input_unicode_set(input);
    for (const ch of text) h.hb_set_add(unicodes, ch.codePointAt(0)!);
    subset = h.hb_subset_or_fail(face, input);
  } finally {
    h.hb_subset_input_destroy(input);
  }
  if (!subset) throw new Error('harfbuzz: hb_subset_or_fail failed');
  const blob = h.hb_face_reference_blob(subset);
  try {
    const length = h.hb_blob_get_length(blob);
    if (!length) throw new Error('harfbuzz: empty subset');
    // A copy out of the WebAssembly memory (which later calls may grow and move).
    return Buffer.from(new Uint8Array(h.memory.buffer, h.hb_blob_get_data(blob, 0), length));
  } finally {
    h.hb_blob_destroy(blob);
    h.hb_face_destroy(subset);
  }
}

/** Open harfbuzz and the faces now (a worker does it before its first report). */
export function preloadSubsetter(fonts?: FontSet): void {
  hb();
  if (fonts) for (const face of Object.values(fonts.faces)) hbFace(face.data);
}

/** A face cut to the characters a document prints with it. */
export interface FaceCut {
  /** The characters, sorted, with a space. */
  chars: string;
  /** The cut font; undefined if harfbuzz could not cut this face. */
  data?: Buffer;
}

/**
 * Each face of a font set cut to the characters printed with it, all its roles together (the
 * roles that share a face share its cut), in the order the roles come.
 */
export function cutFaces(fonts: FontSet, charsByRole: Iterable<readonly [FontRole, Iterable<string>]>): Map<Face, FaceCut> {
  const byFace = new Map<Face, Set<string>>();
  for (const [role, chars] of charsByRole) {
    const face = fonts.faces[role];
    const set = byFace.get(face) ?? new Set<string>();
    for (const ch of chars) set.add(ch);
    byFace.set(face, set);
  }
  const faces = new Map<Face, FaceCut>();
  for (const [face, set] of byFace) {
    const chars = [...set, ' '].sort().join('');
    let data: Buffer | undefined;
    try {
      data = subsetFace(face.data, chars);
    } catch {
      // (Not a font harfbuzz can cut: the PDF uses the whole face, the DOCX does not embed it.)
    }
    faces.set(face, { chars, data });
  }
  return faces;
}
