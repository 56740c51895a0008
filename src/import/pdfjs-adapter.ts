/**
 * What the PDF reader takes from pdf.js that pdf.js does not publish. The operator list
 * (`page.getOperatorList()`) and its operator codes (`OPS`) are public; the arguments of two
 * operators are not: how pdf.js 5 packs a path into `constructPath`, with its own drawing codes
 * (`DrawOPS`, not exported), and where `paintFormXObjectBegin` keeps the form's matrix. They are
 * decoded here and nowhere else; test/pdfjs-adapter.test.ts checks them on a PDF written by hand,
 * so a pdf.js that changes them fails there, not as tables that quietly stop being found.
 */

export type Point = [number, number];
export type Matrix = [number, number, number, number, number, number];

/** pdf.js 5's DrawOPS (src/shared/util.js): the codes in a constructPath's path data. */
const MOVE_TO = 0;
const LINE_TO = 1;
const CURVE_TO = 2;
const QUADRATIC_CURVE_TO = 3;
const CLOSE_PATH = 4;

/** A constructPath operator: the operator that paints it (an `OPS` code) and its subpaths. */
export interface PathOp {
  paint: number;
  /**
   * Each subpath as the points it passes through, in the path's own coordinates (the current
   * transform not applied): curves by their end points, a closed subpath back to its start.
   */
  subpaths: Point[][];
}

/**
 * A constructPath's arguments, `[paintOp, [pathData], minMax]`, decoded; undefined when they
 * are not in that shape (a path with no data). Decoding stops at a code it does not know.
 */
export function decodePath(args: unknown): PathOp | undefined {
  if (!Array.isArray(args)) return undefined;
  const [paint, data] = args as [unknown, unknown];
  if (typeof paint !== 'number' || !Array.isArray(data) || !data[0]) return undefined;
  const path = data[0] as ArrayLike<number>;
  const subpaths: Point[][] = [];
  let cur: Point[] = [];
  for (let i = 0; i < path.length; ) {
    const code = path[i++]!;
    if (code === MOVE_TO) {
      if (cur.length) subpaths.push(cur);
      cur = [[path[i]!, path[i + 1]!]];
      i += 2;
    } else if (code === LINE_TO) {
      cur.push([path[i]!, path[i + 1]!]);
      i += 2;
    } else if (code === CURVE_TO) {
      cur.push([path[i + 4]!, path[i + 5]!]);
      i += 6;
    } else if (code === QUADRATIC_CURVE_TO) {
      cur.push([path[i + 2]!, path[i + 3]!]);
      i += 4;
    } else if (code === CLOSE_PATH) {
      if (cur.length) cur.push(cur[0]!);
    } else break;
  }
  if (cur.length) subpaths.push(cur);
  return { paint, subpaths };
}

/** The form's matrix from a paintFormXObjectBegin's arguments `[matrix, bbox]`, if it has one. */
export function formMatrix(args: unknown): Matrix | undefined {
  const m = Array.isArray(args) ? (args as unknown[])[0] : undefined;
  return Array.isArray(m) || ArrayBuffer.isView(m) ? (Array.from(m as ArrayLike<number>) as Matrix) : undefined;
}
