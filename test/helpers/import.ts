import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { formFor } from '../../layouts/index.js';
import { getPath } from '../../src/model/paths.js';
import { resolve } from '../../src/model/resolve.js';
import { ROOT, parsed } from './reports.js';
import { templateCells } from './template.js';

export const FIXTURES = `${ROOT}test/fixtures/import/`;
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(`${FIXTURES}${name}`));
export const fixtureJson = (name: string): Record<string, any> => JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8'));
export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'xxgk-import-'));

/** The 200 model paths of Tables 2–4, where the official template has them (template-cells.tsv), not from our form. */
export const NUMBER_PATHS = templateCells().map((c) => c.path);

/** Every number of `source` (totals computed where omitted) equals the imported one, by model path. */
export function expectAllNumbers(imported: unknown, source: unknown): number {
  const want = resolve(parsed(source), formFor().defaultTitle);
  const got = NUMBER_PATHS.map((p) => [p, String(getPath(imported, p))]);
  expect(Object.fromEntries(got)).toEqual(Object.fromEntries(NUMBER_PATHS.map((p) => [p, String(getPath(want, p))])));
  return got.length;
}

/** The text of a report as the model holds it. */
export function expectSameText(imported: Record<string, any>, source: Record<string, any>): void {
  expect(imported.agency).toBe(source.agency);
  expect(imported.year).toBe(source.year);
  expect(imported.title).toBe(source.title);
  expect(imported.preface).toEqual(source.preface);
  expect(imported.overview.intro ?? []).toEqual(source.overview.intro ?? []);
  expect(imported.overview.sections).toEqual(source.overview.sections);
  expect(imported.problems).toEqual(source.problems);
  expect(imported.other).toEqual(source.other);
  expect(imported.signature).toEqual(source.signature);
}

type PdfMake = {
  setFonts(f: unknown): void;
  setUrlAccessPolicy(cb: (u: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(doc: unknown): { getBuffer(): Promise<Buffer> };
};

/** A small PDF made with pdfmake: `text` (may be empty), an image, a user password. */
export async function makePdf(options: { text?: string; image?: Uint8Array; userPassword?: string }): Promise<Uint8Array> {
  const pdfmake = createRequire(import.meta.url)('pdfmake') as PdfMake;
  const font = `${ROOT}fonts/XXGKSerif-Regular.ttf`;
  pdfmake.setFonts({ Serif: { normal: font, bold: font, italics: font, bolditalics: font } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((p) => p === font);
  const content: unknown[] = [
    {
      canvas: [
        { type: 'rect', x: 0, y: 0, w: 300, h: 20, lineWidth: 1 },
        { type: 'line', x1: 0, y1: 40, x2: 300, y2: 40 },
      ],
    },
  ];
  if (options.image) content.push({ image: `data:image/png;base64,${Buffer.from(options.image).toString('base64')}`, width: 400 });
  if (options.text) content.push({ text: options.text });
  const doc = {
    content,
    defaultStyle: { font: 'Serif' },
    info: { creationDate: new Date('2025-01-01T00:00:00Z') },
    ...(options.userPassword
      ? { userPassword: options.userPassword, ownerPassword: 'owner', permissions: { printing: 'highResolution' } }
      : {}),
  };
  return new Uint8Array(await pdfmake.createPdf(doc).getBuffer());
}
