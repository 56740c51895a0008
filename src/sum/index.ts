/**
 * The summary report (汇总) and the workbook of every member's numbers: a user layer on top of
 * the library (docs/architecture.md).
 */
export {
  sumReports,
  sumNumbers,
  type SumMember,
  type SumOptions,
  type SumResult,
  type MemberOutcome,
  type MemberStatus,
  type Numbers,
} from './sum.js';
export {
  writeWorkbook,
  sheetColumns,
  headerCells,
  textWidth,
  type WorkbookMember,
  type WorkbookOptions,
  type SheetColumn,
} from './workbook.js';
export { loadMember, collectMemberFiles, displayName, type Member } from './members.js';
export { sumDecimals, parseDecimal, formatDecimal, fitsDouble } from './decimal.js';
