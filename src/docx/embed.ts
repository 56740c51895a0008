/**
 * The faces a DOCX embeds: the document's cuts (src/layout/ir.ts, shared with the PDF), one per
 * family, with their tables in the order LibreOffice needs (src/fonts/sfnt.ts). Word embeds only
 * TrueType outlines.
 */
import type { Face, FontSet } from '../fonts/index.js';
import { reorderTables } from '../fonts/sfnt.js';
import { subsetFace } from '../fonts/subset.js';
import { documentFaces, type DocumentIR } from '../layout/ir.js';

export interface EmbeddedFace {
  family: string;
  data: Buffer;
}

export function embeddedFaces(ir: DocumentIR, fonts: FontSet): EmbeddedFace[] {
  const byFamily = new Map<string, { face: Face; chars: string; data?: Buffer }[]>();
  for (const [face, cut] of documentFaces(ir, fonts)) {
    if (!face.trueType) continue;
    byFamily.set(face.family, [...(byFamily.get(face.family) ?? []), { face, ...cut }]);
  }
  const out: EmbeddedFace[] = [];
  for (const [family, cuts] of [...byFamily].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Two files of one family (as a configuration may name) are one font to Word: the first, cut
    // to the characters of both.
    const data =
      cuts.length === 1 ? cuts[0]!.data : subsetFace(cuts[0]!.face.data, [...new Set(cuts.flatMap((c) => [...c.chars]))].sort().join(''));
    if (data) out.push({ family, data: reorderTables(data) });
  }
  return out;
}
