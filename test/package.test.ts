/**
 * The published package works for someone who installs it: `npm pack` makes the tarball a user
 * would get, it is installed into an empty project (its dependencies from the npm cache or the
 * registry, its own install scripts allowed to run), and a plain ESM script imports it by name,
 * parses and validates a sample and renders a PDF; the installed `xxgk` command validates it too.
 * Slow (a real `npm install`): one test with a generous timeout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { info } from './helpers/pdf.js';
import { ROOT } from './helpers/reports.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

// The script a user would write, run with the installed package only (no path into this repo).
const USER_SCRIPT = `
import { readFileSync, writeFileSync } from 'node:fs';
import { parseReport, validate, renderPdf, ReportError } from 'xxgk-report';

const [sample, out] = process.argv.slice(2);
const report = parseReport(readFileSync(sample, 'utf8'));
const problems = validate(report).filter((d) => d.severity === 'error');
let refused = [];
try {
  parseReport(JSON.stringify({ ...JSON.parse(readFileSync(sample, 'utf8')), year: '二〇二四' }));
} catch (e) {
  if (!(e instanceof ReportError)) throw e;
  refused = e.diagnostics.map((d) => d.path);
}
writeFileSync(out, await renderPdf(report));
console.log(JSON.stringify({ problems, refused }));
`;

const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/;

describe('the npm package', () => {
  it('packs without tests or debug files, installs into an empty project, and renders a sample there', async (ctx) => {
    expect(existsSync(join(ROOT, 'dist/src/index.js')), 'dist/ is missing: run npm run build first').toBe(true);

    // Pack what is built (npm test builds first); --ignore-scripts: `prepare` would rebuild dist/
    // under the other test files that are running it.
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], ROOT);
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/layouts/gov-2021/index.js');
    expect(files).toContain('dist/cli/xxgk.js');
    expect(files).toContain('fonts/XXGKSerif-Regular.ttf');
    const unwanted = files.filter(
      (f) =>
        /^(test|samples|scripts|dist\/scripts|dist\/test)\//.test(f) ||
        /(^|\/)\.[^/]+$/.test(f) ||
        /\.test\.[cm]?[jt]s$/.test(f) ||
        /^tsconfig/.test(f),
    );
    expect(unwanted).toEqual([]);

    // An empty project; the tarball installed as a user would (its scripts not suppressed: a
    // `prepare` that ran here would fail, as the tarball holds neither tsconfig nor TypeScript).
    const project = join(dir, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-xxgk', private: true, type: 'module' }));
    const install = npm(['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed!.filename)], project);
    if (install.code !== 0 && NETWORK.test(install.stderr) && !process.env.XXGK_REQUIRE_TOOLS) {
      console.warn(
        `skipped: the npm registry is not reachable to install the package's dependencies (${NETWORK.exec(install.stderr)![1]})`,
      );
      ctx.skip();
    }
    expect(install.code, install.stderr).toBe(0);
    const installed = join(project, 'node_modules/xxgk-report');
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'docs', 'fonts', 'layouts', 'package.json']);

    // The user's script, from the project's folder: it finds the package by name only.
    const sample = join(ROOT, 'samples/yangshan-2024.json');
    const pdfFile = join(project, 'report.pdf');
    writeFileSync(join(project, 'use.mjs'), USER_SCRIPT);
    const run = spawnSync(process.execPath, ['use.mjs', sample, pdfFile], { cwd: project, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ problems: [], refused: ['year'] });

    const pdf = readFileSync(pdfFile);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const meta = await info(pdfFile);
    expect(meta.Title).toBe('金乡县羊山镇人民政府2024年度政府信息公开工作年度报告');
    expect(meta.Author).toBe('金乡县羊山镇人民政府');
    expect(Number(meta.Pages)).toBeGreaterThanOrEqual(4);

    // The command the package installs.
    const cli = spawnSync(join(project, 'node_modules/.bin/xxgk'), ['validate', sample], { cwd: project, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
  }, 600_000);
});
