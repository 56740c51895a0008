/**
 * Contract of src/pdf/pdfkit-xmp.ts with pdfkit (the one pdfmake installs): on a plain pdfkit
 * document with markup in its info strings, the XMP packet parses as XML and its dc:title,
 * dc:creator, dc:description and pdf:Keywords are the strings we set, exactly; the Info
 * dictionary keeps them unescaped. And the reason the adapter exists: without it, pdfkit's packet
 * is not well-formed (when a pdfkit escapes by itself, that test fails and the adapter can go).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeXmp, type PdfKitDocument } from '../src/pdf/pdfkit-xmp.js';
import { info } from './helpers/pdf.js';

const require = createRequire(import.meta.url);
const fromPdfmake = createRequire(require.resolve('pdfmake'));
type Doc = PdfKitDocument & { on(event: string, cb: (chunk?: Buffer) => void): void; end(): void };
const PDFDocument = fromPdfmake('pdfkit') as new (options: object) => Doc;
type XmlNode = { name: string; val: string; children: XmlNode[] };
const { XmlDocument } = fromPdfmake('xmldoc') as { XmlDocument: new (xml: string) => XmlNode };
const find = (node: XmlNode, name: string): XmlNode | undefined =>
  node.name === name ? node : (node.children ?? []).reduce<XmlNode | undefined>((hit, c) => hit ?? find(c, name), undefined);

const dir = mkdtempSync(join(tmpdir(), 'xxgk-xmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INFO = {
  Title: `某某A&B<研究>中心"2024年度" '政府信息公开' 工作年度报告`,
  Author: '某某A&B<研究>中心',
  Subject: '政府信息公开 & <年度报告>',
  Keywords: '政府信息公开, A&B<中心>',
};

const CREATED = new Date('2025-01-19T16:00:00Z');
const MODIFIED = new Date('2025-02-03T04:05:06Z');
/** The metadata stream's dictionary. */
const metadataDict = (pdf: Buffer) => /<<([^>]*\/Type \/Metadata[^>]*)>>/.exec(pdf.toString('latin1'))![1]!;

async function pdfkitPdf(adapt: boolean): Promise<Buffer> {
  const doc = new PDFDocument({ info: { ...INFO, CreationDate: CREATED, ModDate: MODIFIED }, pdfVersion: '1.7', compress: false });
  if (adapt) escapeXmp(doc);
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.on('data', (c) => chunks.push(c!));
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

const packetOf = (pdf: Buffer) =>
  Buffer.from(/<\?xpacket begin.*?<\?xpacket end="w"\?>/s.exec(pdf.toString('latin1'))![0], 'latin1').toString('utf8');

describe('pdfkit XMP (src/pdf/pdfkit-xmp.ts)', () => {
  it('the packet parses and holds the info strings exactly; the Info dictionary keeps them as set', async () => {
    const pdf = await pdfkitPdf(true);
    const xmp = new XmlDocument(packetOf(pdf));
    expect(find(find(xmp, 'dc:title')!, 'rdf:li')!.val).toBe(INFO.Title);
    expect(find(find(xmp, 'dc:creator')!, 'rdf:li')!.val).toBe(INFO.Author);
    expect(find(find(xmp, 'dc:description')!, 'rdf:li')!.val).toBe(INFO.Subject);
    expect(find(xmp, 'pdf:Keywords')!.val).toBe(INFO.Keywords);
    const file = join(dir, 'adapted.pdf');
    writeFileSync(file, pdf);
    const meta = await info(file);
    for (const key of ['Title', 'Author', 'Subject', 'Keywords'] as const) expect(meta[key], key).toBe(INFO[key]);
  });

  it('pdfkit alone still writes the strings into the packet unescaped', async () => {
    const packet = packetOf(await pdfkitPdf(false));
    expect(packet).toContain(`<rdf:li xml:lang="x-default">${INFO.Title}</rdf:li>`);
    expect(() => new XmlDocument(packet)).toThrow();
  });

  it('the packet has xmp:ModifyDate equal to the Info ModDate beside xmp:CreateDate, and the stream one /Length', async () => {
    const pdf = await pdfkitPdf(true);
    const xmp = new XmlDocument(packetOf(pdf));
    expect(find(xmp, 'xmp:CreateDate')!.val).toBe('2025-01-19T16:00:00Z');
    expect(find(xmp, 'xmp:ModifyDate')!.val).toBe('2025-02-03T04:05:06Z');
    const file = join(dir, 'dates.pdf');
    writeFileSync(file, pdf);
    expect((await info(file)).ModDate).toBe('2025-02-03T04:05:06Z');
    expect(metadataDict(pdf)).toMatch(/\/Length \d+/);
    expect(metadataDict(pdf)).not.toMatch(/\/length/);
  });

  it('pdfkit alone writes no xmp:ModifyDate and a stray /length (what the adapter mends)', async () => {
    const pdf = await pdfkitPdf(false);
    expect(packetOf(pdf)).not.toContain('ModifyDate');
    expect(metadataDict(pdf)).toMatch(/\/length \d+/);
  });
});
