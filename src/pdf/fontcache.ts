/**
 * pdfmake opens and parses every font again for each document. pdfkit creates its fonts through
 * fontkit's CommonJS `create`; handing pdfkit a fontkit whose `create` returns the face we already
 * parsed (same bytes, same face name) turns a 10–300 ms parse per face per document into a memcmp.
 *
 * fontkit's exports are non-configurable getters, so the wrapper replaces the module's exports in
 * the CommonJS cache before pdfkit is first required (src/pdf/index.ts requires pdfmake after this).
 */
import { createRequire } from 'node:module';
import { loadedFaces, loadFontkit } from '../fonts/index.js';

const require = createRequire(import.meta.url);
const id = require.resolve('fontkit', { paths: [require.resolve('pdfkit')] });
const fontkit = loadFontkit();
const entry = require.cache[id];
if (entry && entry.exports === fontkit) {
  const original = fontkit.create.bind(fontkit);
  const create = (buffer: Uint8Array, postscriptName?: string) => {
    for (const face of loadedFaces()) {
      if ((face.source.postscriptName ?? undefined) !== (postscriptName ?? undefined)) continue;
      if (face.data === buffer || (face.data.length === buffer.length && face.data.equals(buffer))) return face.font;
    }
    return original(buffer as Buffer, postscriptName);
  };
  entry.exports = { ...fontkit, create };
}
