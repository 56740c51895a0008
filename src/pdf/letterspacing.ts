/**
 * pdfmake counts letter spacing between the characters of a word (n − 1 gaps) and places each
 * word by that width; a Han character is a word of its own, so its spacing is never counted and
 * a 28-character grid line (16 pt characters at a 15.79 pt pitch) cannot be set. Counting the
 * spacing after every character, as Word and CSS do, makes the measured width the drawn width.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Inline = { font: { widthOfString(text: string, size: number, features?: unknown): number }; fontSize: number; fontFeatures?: unknown; characterSpacing?: number };
const TextInlines = (require('pdfmake/js/TextInlines.js') as { default: { prototype: { widthOfText(text: string, inline: Inline): number } } }).default;

TextInlines.prototype.widthOfText = function widthOfText(text: string, inline: Inline): number {
  const spacing = inline.characterSpacing ?? 0;
  return inline.font.widthOfString(text, inline.fontSize, inline.fontFeatures) + (spacing ? spacing * [...text].length : 0);
};
