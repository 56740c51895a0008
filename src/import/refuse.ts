/** Refusals: input the importer will not read (kind input), with a message for people. */
import { ReportError, type Diagnostic } from '../diagnostics.js';

export const refusal = (code: string, message: string): Diagnostic => ({ code, severity: 'error', path: '$', message });

export function refuse(code: string, message: string, file?: string): never {
  throw new ReportError('input', [refusal(code, message)], file);
}
