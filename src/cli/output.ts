/** How diagnostics look on a terminal. */
import type { Diagnostic } from '../diagnostics.js';

const SEVERITY = { error: '错误', warning: '警告' } as const;

export function formatDiagnostic(d: Diagnostic, file?: string): string {
  return `${file ? `${file}: ` : ''}${SEVERITY[d.severity]} [${d.code}] ${d.message}`;
}

export function summary(ds: readonly Diagnostic[]): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  return errors ? `未通过：${errors} 个错误，${warnings} 个警告` : `检查通过${warnings ? `（${warnings} 个警告）` : ''}`;
}
