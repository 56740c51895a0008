/**
 * The form layer: the types of a format (what `layouts/<format>` exports: parts, grids, labels,
 * bindings, typography, schema, sums, rules) and small functions over grids. It is the bottom
 * layer of xxgk and imports nothing else of ours; the formats themselves and their registry
 * (`formFor`) live in layouts/. See docs/architecture.md, and layouts/README.md for what a new
 * format provides.
 */
export * from './spec.js';
export * from './grid.js';
export { chineseNumeral } from './numerals.js';
