/**
 * The preview: the PDF the server rendered, drawn page by page with pdf.js (bundled, loaded only
 * when a preview is first asked for), so it shows the same in every browser, with or without a
 * PDF viewer of its own.
 */
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';

GlobalWorkerOptions.workerSrc = new URL('pdf.worker.mjs', import.meta.url).href;

/** Draw every page of `bytes` into `box` at its width; returns the number of pages. */
export async function showPdf(box: HTMLElement, bytes: Uint8Array): Promise<number> {
  const pdf = await getDocument({ data: bytes, isEvalSupported: false, disableFontFace: false, useSystemFonts: false }).promise;
  const width = Math.max(200, box.clientWidth - 16);
  const ratio = Math.min(window.devicePixelRatio || 1, 2);
  const pages: HTMLElement[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: (width / base.width) * ratio });
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `第 ${n} 页`);
    canvas.className = 'page';
    await page.render({ canvas, viewport }).promise;
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = `第 ${n} 页 / 共 ${pdf.numPages} 页`;
    figure.append(canvas, caption);
    pages.push(figure);
  }
  box.replaceChildren(...pages);
  await pdf.destroy();
  return pages.length;
}
