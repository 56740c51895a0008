import { readFileSync } from 'node:fs';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
const data = new Uint8Array(readFileSync(process.argv[2]));
let t = performance.now();
const doc = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false }).promise;
const lap = (l) => { const n = performance.now(); console.log(l, (n - t).toFixed(0)); t = n; };
lap('open');
for (let p = 1; p <= doc.numPages; p++) { const page = await doc.getPage(p); await page.getTextContent(); }
lap('text');
for (let p = 1; p <= doc.numPages; p++) { const page = await doc.getPage(p); await page.getOperatorList(); }
lap('ops');
