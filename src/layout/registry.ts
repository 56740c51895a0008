import gov2021 from '../../layouts/gov-2021/index.js';
import type { LayoutSpec } from './spec.js';

const layouts: Record<string, LayoutSpec> = { [gov2021.format]: gov2021 };

export const DEFAULT_FORMAT = gov2021.format;

export function layoutFor(format: string = DEFAULT_FORMAT): LayoutSpec {
  const layout = layouts[format];
  if (!layout) throw new Error(`no layout for format ${format}`);
  return layout;
}
