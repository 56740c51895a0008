/**
 * The form layer: what an official format *is* — its parts, its three grids with every label and
 * span, which model field each data cell holds, and its typography — as data plus small functions
 * over it. It is the bottom layer of xxgk: the model's messages, the rules, the layout, the glyph
 * check, the importer, the editor and the workbook all read the form from here, and it imports
 * nothing else of ours. See docs/architecture.md, and layouts/README.md for what a new format provides.
 */
export * from './spec.js';
export * from './grid.js';
export { chineseNumeral } from './numerals.js';
export { DEFAULT_FORMAT, formFor, FORMS } from './registry.js';
