import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { CLI, ROOT } from './reports.js';

export interface Served {
  url: string;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM, and the exit code. */
  stop: () => Promise<number | null>;
}

/** `xxgk serve --port 0` from dist/, its address read from what it prints. */
export function serve(args: string[] = []): Promise<Served> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`xxgk serve did not start:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          proc,
          output: () => out,
          stop: async () => {
            if (proc.exitCode === null) proc.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    proc.on('exit', (code) => reject(new Error(`xxgk serve exited ${code}:\n${out}`)));
  });
}

/** A raw HTTP/1.1 request, for paths and bodies fetch would not send as written. */
export function rawRequest(
  url: string,
  text: string | Buffer,
  options: { waitMs?: number } = {},
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let got = '';
    const finish = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0);
      resolve({ status, text: got });
    };
    socket.on('data', (d) => {
      got += d.toString();
      if (/\r\n\r\n/.test(got) && options.waitMs === undefined) {
        // Headers are in: give the body a moment, then close.
        setTimeout(() => (socket.destroy(), finish()), 100);
      }
    });
    socket.on('error', (e) => (got ? finish() : reject(e)));
    socket.on('close', finish);
    if (options.waitMs !== undefined) setTimeout(() => (socket.destroy(), finish()), options.waitMs);
  });
}
