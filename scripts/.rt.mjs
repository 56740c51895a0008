import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { renderPdf, renderDocx, parseReport } from '../dist/src/index.js';
for (const f of readdirSync('samples').filter((f) => f.endsWith('.json'))) {
  const r = parseReport(readFileSync(`samples/${f}`));
  writeFileSync(`/tmp/imp/${f.replace('.json', '.pdf')}`, await renderPdf(r));
  writeFileSync(`/tmp/imp/${f.replace('.json', '.docx')}`, await renderDocx(r, { docxFonts: 'none' }));
}
