import type { ReadResult } from './blocks.js';
export async function readPdf(_b: Uint8Array, _f?: string): Promise<ReadResult> { throw new Error('todo'); }
