import gov2021 from '../../layouts/gov-2021/index.js';
import type { FormSpec } from './spec.js';

/** Every official format xxgk knows, by its `format` value in the model. */
export const FORMS: Readonly<Record<string, FormSpec>> = { [gov2021.format]: gov2021 };

export const DEFAULT_FORMAT = gov2021.format;

export function formFor(format: string = DEFAULT_FORMAT): FormSpec {
  const form = FORMS[format];
  if (!form) throw new Error(`no form for format ${format}`);
  return form;
}
