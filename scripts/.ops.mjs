import { readFileSync } from 'node:fs';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), verbosity: 0 }).promise;
const page = await doc.getPage(Number(process.argv[3]));
const ops = await page.getOperatorList();
const names = Object.fromEntries(Object.entries(pdfjs.OPS).map(([k, v]) => [v, k]));
ops.fnArray.forEach((f, i) => { if (names[f] === 'constructPath') { const a = ops.argsArray[i]; const p = Array.from(a[1][0]).map(x=>+x.toFixed(1)); if (p.some((v,k)=> k%3!==0 && v > 585 && v < 595)) console.log(names[a[0]], JSON.stringify(p)); } else if (['transform','save','restore','setLineWidth'].includes(names[f]) && process.argv[4]) console.log(names[f], JSON.stringify(ops.argsArray[i])); });
