import { readFileSync } from 'node:fs';
const { readDocument } = await import('../dist/src/import/index.js');
const { mapBlocks } = await import('../dist/src/import/map.js');
const { readTables } = await import('../dist/src/import/tables.js');
const { formFor } = await import('../dist/src/form/index.js');
const r = await readDocument(readFileSync(process.argv[2]), process.argv[2]);
for (let i = 0; i < 3; i++) {
  let t = performance.now(); readTables(r.blocks, formFor()); const a = performance.now() - t;
  t = performance.now(); mapBlocks(r.blocks); console.log('tables', a.toFixed(0), 'map', (performance.now() - t).toFixed(0));
}
