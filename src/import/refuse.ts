/** Refusals: input the importer will not read (exit 2), with a message for people. */
import { ReportError, type Diagnostic } from '../diagnostics.js';

export const refusal = (code: string, message: string): Diagnostic => ({ code, severity: 'error', path: '$', message });

export function refuse(code: string, message: string, file?: string): never {
  throw new ReportError(2, [refusal(code, message)], file);
}
