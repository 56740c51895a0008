/** Reading input with a bound: never more than a limit, whatever the file is. */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

let pause: Int32Array | undefined;

/** A file (or pipe, or device) holds more than the limit: reading stopped there. */
export class TooLargeError extends Error {
  constructor(
    readonly limit: number,
    /** The file's size, when it is a regular file (not read at all); undefined for a stream. */
    readonly size?: number,
  ) {
    super(`larger than ${limit} bytes`);
  }
}

/**
 * Read a file, but never more than `limit` bytes: a regular file over the limit is refused by its
 * size, a pipe or a device (/dev/stdin, a FIFO, /dev/zero) when the limit is passed. Throws the
 * file system's errors (code ENOENT, EISDIR, …) and TooLargeError. A regular file is read into
 * one buffer from `alloc` (of the file's size; shared memory, say).
 */
export function readBounded(file: string, limit: number, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  // A pipe, a FIFO or a device may block this thread in open or read (a FIFO with no writer),
  // where no signal handler can run: while it is read, SIGINT and SIGTERM take their default
  // action and end the process at once.
  let regular = false;
  try {
    regular = statSync(file).isFile();
  } catch {
    // opened below, for its error
  }
  if (regular) return readOpened(file, limit, alloc);
  // A worker thread blocked in a system call cannot be stopped, and the process cannot exit
  // while it is: there a pipe is opened without waiting (a FIFO with no writer reads as empty).
  if (!isMainThread) return readOpened(file, limit, alloc, constants.O_RDONLY | constants.O_NONBLOCK);
  const saved = SIGNALS.map((s) => [s, process.listeners(s)] as const);
  for (const s of SIGNALS) process.removeAllListeners(s);
  try {
    return readOpened(file, limit, alloc);
  } finally {
    for (const [s, listeners] of saved) for (const l of listeners) process.on(s, l);
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function readOpened(file: string, limit: number, alloc: (size: number) => Buffer, flags: number | string = 'r'): Buffer {
  let fd: number;
  let own = true;
  try {
    fd = openSync(file, flags);
  } catch (e) {
    // /dev/stdin when standard input is a socket (as Node's child processes get it) cannot be
    // opened again: read the descriptor itself.
    if ((e as NodeJS.ErrnoException).code !== 'ENXIO' || !STDIN.has(file)) throw e;
    fd = 0;
    own = false;
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`${file} is a directory`), { code: 'EISDIR' });
    if (st.isFile() && st.size > limit) throw new TooLargeError(limit, st.size);
    // A regular file is read into one buffer of its size (a font is 3–4 MB, and fresh memory is
    // slow to touch on a virtual machine: chunks and their concatenation touched it three times).
    // A file that grew since fstat goes on in chunks below.
    let head: Buffer | undefined;
    if (st.isFile() && st.size > 0) {
      head = alloc(st.size);
      let filled = 0;
      while (filled < st.size) {
        const n = readSync(fd, head, filled, st.size - filled, null);
        if (n === 0) break;
        filled += n;
      }
      if (filled < st.size) return head.subarray(0, filled);
    }
    const chunks: Buffer[] = head ? [head] : [];
    let total = head?.length ?? 0;
    const chunk = Buffer.allocUnsafe(Math.min(limit + 1, head ? 1 << 16 : 1 << 20));
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        // A non-blocking pipe with nothing yet: wait a little and read again.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait((pause ??= new Int32Array(new SharedArrayBuffer(4))), 0, 0, 10);
          continue;
        }
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new TooLargeError(limit);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    if (own) closeSync(fd);
  }
}

const STDIN = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);
