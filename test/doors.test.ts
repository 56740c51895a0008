/**
 * One way in: the same files through every door — the library, `xxgk validate`, `xxgk render`,
 * `xxgk batch`, `xxgk import`, a summary's members, and the server's /api/validate, /api/render
 * and /api/import — give the same diagnostics, and a number keeps the text it was written with.
 * Needs `npm run build` (the CLI and the server run from dist/).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, ReportError, validate, type Diagnostic } from '../src/index.js';
import { loadMember } from '../src/sum/index.js';
import { ROOT, runCli } from './helpers/reports.js';
import { serve, type Served } from './helpers/serve.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-doors-'));
const sample = readFileSync(join(ROOT, 'samples/huaian-2024.json'), 'utf8');
const edit = (from: string, to: string) => {
  expect(sample).toContain(from);
  return sample.replace(from, to);
};

/** The files, as a clerk might write them. */
const FILES: Record<string, string> = {
  'fee-1250.json': edit('"fees": "24252.311082"', '"fees": 12.50'),
  'count-point-zero.json': edit('"naturalPerson": 364,', '"naturalPerson": 364.0,'),
  'count-exponent.json': edit('"naturalPerson": 364,', '"naturalPerson": 3.64e2,'),
  'ok.json': sample,
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
const file = (name: string) => join(dir, name);

/** What each file must give, from the form's rules (docs/form.md R7), not from the code. */
const R7 = 'applications.received.naturalPerson';
const expectations: Record<string, (ds: Pick<Diagnostic, 'code' | 'message'>[]) => void> = {
  'fee-1250.json': (ds) => expect(ds).toEqual([]),
  'count-point-zero.json': (ds) => {
    expect(ds.map((d) => d.code)).toEqual(['R7']);
    expect(ds[0]!.message).toContain('实际写作 364.0');
  },
  'count-exponent.json': (ds) => {
    expect(ds.map((d) => d.code)).toEqual(['R7']);
    expect(ds[0]!.message).toContain('实际写作 3.64e2');
  },
  'ok.json': (ds) => expect(ds).toEqual([]),
};

/** The library's answer: the reference every door is compared with. */
function library(name: string): { diagnostics: Diagnostic[]; fees?: unknown } {
  try {
    const report = parseReport(readFileSync(file(name)));
    return { diagnostics: validate(report), fees: report.proactive.fees };
  } catch (e) {
    if (!(e instanceof ReportError)) throw e;
    return { diagnostics: e.diagnostics };
  }
}

/** `file: 错误 [R7] message` lines of the CLI, as code and message. */
const printed = (stderr: string, path: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith(`${path}: `) && / \[[A-Z0-9_]+\] /.test(l))
    .map((l) => {
      const m = /^.*?: (?:错误|警告) \[([A-Z0-9_]+)\] (.*)$/.exec(l)!;
      return { code: m[1]!, message: m[2]! };
    });
const codesAndMessages = (ds: Diagnostic[]) => ds.map(({ code, message }) => ({ code, message }));

let server: Served;
beforeAll(async () => {
  server = await serve();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, server.url), { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe.each(Object.keys(FILES))('%s through every door', (name) => {
  const reference = library(name);

  it('the library gives what the form says', () => {
    expect(reference.diagnostics.every((d) => d.path === R7 || d.code !== 'R7')).toBe(true);
    expectations[name]!(reference.diagnostics.filter((d) => d.severity === 'error'));
    if (name === 'fee-1250.json') expect(reference.fees).toBe('12.50');
  });

  it('xxgk validate --json', () => {
    const r = runCli(['validate', file(name), '--json']);
    expect(JSON.parse(r.stdout).diagnostics).toEqual(reference.diagnostics);
    expect(r.code).toBe(reference.fees === undefined ? 2 : 0);
  });

  it('xxgk render (and the fee as written in the page)', () => {
    const out = join(dir, `render-${name}`);
    const r = runCli(['render', file(name), '-o', out, '--html']);
    expect(printed(r.stderr, file(name))).toEqual(codesAndMessages(reference.diagnostics));
    if (name === 'fee-1250.json') expect(readFileSync(join(out, 'fee-1250.html'), 'utf8')).toContain('12.50');
  });

  it('xxgk batch', () => {
    const out = join(dir, `batch-${name}`);
    runCli(['batch', file(name), '-o', out, '--html']);
    const report = JSON.parse(readFileSync(join(out, 'batch-report.json'), 'utf8'));
    expect(report.entries[0].diagnostics).toEqual(reference.diagnostics);
  });

  it('xxgk import (the model itself), and the fee as written in its output', () => {
    const r = runCli(['import', file(name)]);
    if (reference.diagnostics.some((d) => d.severity === 'error')) {
      expect(printed(r.stderr, file(name))).toEqual(codesAndMessages(reference.diagnostics));
      expect(r.code).toBe(2);
    } else {
      expect(r.code).toBe(0);
      if (name === 'fee-1250.json') expect(JSON.parse(r.stdout).proactive.fees).toBe('12.50');
    }
  });

  it('a summary’s member', async () => {
    const member = await loadMember(file(name));
    expect(member.diagnostics).toEqual(reference.diagnostics);
    if (name === 'fee-1250.json') expect(member.report?.proactive.fees).toBe('12.50');
  });

  it('POST /api/validate', async () => {
    const res = await post('/api/validate', FILES[name]!);
    const body = await res.json();
    expect(body.diagnostics).toEqual(reference.diagnostics);
    expect(res.status).toBe(reference.fees === undefined ? 400 : 200);
  });

  it('POST /api/render (and the fee as written in the page)', async () => {
    const res = await post('/api/render?format=html', FILES[name]!);
    if (reference.fees === undefined) {
      expect(res.status).toBe(400);
      expect((await res.json()).diagnostics).toEqual(reference.diagnostics);
    } else {
      expect(res.status).toBe(200);
      if (name === 'fee-1250.json') expect(await res.text()).toContain('12.50');
    }
  });

  it('POST /api/import', async () => {
    const res = await post(`/api/import?filename=${name}`, FILES[name]!);
    const body = await res.json();
    if (reference.fees === undefined) {
      expect(res.status).toBe(400);
      expect(body.diagnostics).toEqual(reference.diagnostics);
    } else {
      expect(res.status).toBe(200);
      expect(body.report.proactive.fees).toBe(name === 'fee-1250.json' ? '12.50' : '24252.311082');
    }
  });
});

describe('a file no reader takes', () => {
  it('is refused by the same table, in the same words, by xxgk import and a summary’s member', async () => {
    const doc = join(dir, 'old.wps'); // .doc has a reader (LibreOffice); a WPS file has none
    writeFileSync(doc, new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]));
    const member = await loadMember(doc);
    expect(member.diagnostics).toMatchObject([{ code: 'EXTENSION', severity: 'error' }]);
    expect(member.diagnostics[0]!.message).toContain('另存为 .docx');
    const r = runCli(['import', doc]);
    expect(r.code).toBe(2);
    expect(printed(r.stderr, doc)).toEqual(codesAndMessages(member.diagnostics));
  });
});
