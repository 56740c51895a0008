/**
 * The faces a DOCX embeds, cut to the characters it uses (the docx package embeds whole files;
 * a 3–4 MB face per role would make every report 10 MB). Word embeds only TrueType outlines.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import subsetFont from 'subset-font';
import type { Face, FontSet } from '../fonts/index.js';
import type { DocumentIR, FontRole } from '../layout/ir.js';
import { reorderTables } from './sfnt.js';

export interface EmbeddedFace {
  family: string;
  data: Buffer;
}

/** Characters printed in each role. */
function charactersByRole(ir: DocumentIR): Map<FontRole, Set<string>> {
  const map = new Map<FontRole, Set<string>>();
  const add = (role: FontRole, text: string) => {
    let set = map.get(role);
    if (!set) map.set(role, (set = new Set()));
    for (const ch of text) set.add(ch);
  };
  const walk = (blocks: DocumentIR['blocks']) => {
    for (const b of blocks) {
      if (b.type === 'group') walk(b.blocks);
      else if (b.type === 'paragraph') add(ir.styles[b.style].role, b.text);
      else for (const c of b.cells) add(b.style.role, c.text);
    }
  };
  walk(ir.blocks);
  add(ir.footer.role, `${ir.footer.prefix}${ir.footer.suffix}0123456789`);
  if (ir.draft) add(ir.draft.role, ir.draft.text);
  return map;
}

/**
 * Start compiling harfbuzz's WebAssembly now, off the main thread, while the PDF is being written:
 * V8 keeps the compiled module for the same bytes, so subset-font's own instantiate finds it ready.
 */
export function preloadSubsetter(): void {
  const require = createRequire(import.meta.url);
  const wasm = require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm', { paths: [dirname(require.resolve('subset-font'))] });
  void readFile(wasm).then((bytes) => WebAssembly.compile(bytes)).catch(() => undefined);
}

export async function subsetFaces(ir: DocumentIR, fonts: FontSet): Promise<EmbeddedFace[]> {
  // Roles that share a face (body, table, page numbers) share one embedded subset; so do faces of one family.
  const byFamily = new Map<string, { face: Face; chars: Set<string> }>();
  for (const [role, chars] of charactersByRole(ir)) {
    const face = fonts.faces[role];
    // Word embeds TrueType outlines only; harfbuzz's subsetter reads single fonts, not a .ttc collection.
    if (!face.trueType || face.data.subarray(0, 4).toString('latin1') === 'ttcf') continue;
    const entry = byFamily.get(face.family) ?? { face, chars: new Set<string>() };
    for (const ch of chars) entry.chars.add(ch);
    byFamily.set(face.family, entry);
  }
  const out: EmbeddedFace[] = [];
  for (const [family, { face, chars }] of [...byFamily].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const text = [...chars, ' '].sort().join('');
    const data = reorderTables(await subsetFont(face.data, text, { targetFormat: 'truetype' }));
    out.push({ family, data });
  }
  return out;
}
