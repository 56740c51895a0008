import { readFileSync } from 'node:fs';
import { readDocument } from '../dist/src/import/index.js';
const r = await readDocument(readFileSync(process.argv[2]), process.argv[2]);
for (const b of r.blocks) {
  if (b.kind === 'p') console.log(`P[${b.page ?? ''}${b.heading ? 'H' : ''}${b.centred ? 'C' : ''} ${b.indent ?? ''}]`, b.text.slice(0, 80));
  else { console.log(`TABLE ${b.rows}x${b.cols} p${b.page}`); if (process.argv[3]) for (const c of b.cells) console.log('   ', c.r, c.c, c.rs, c.cs, c.text.slice(0, 30)); }
}
