/**
 * xxgk sum: the summary of 13 members checked against sums computed here another way (the form's
 * 200 bound cells, plain integers; the fee in integer millionths), refusals, drafts, cross-year
 * checks, and the workbook read back by exceljs and by LibreOffice Calc.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { validate, renderDocx, renderPdf, ReportError, sumReports, writeWorkbook, parseReport } from '../src/index.js';
import { formFor } from '../layouts/index.js';
import { bindingsOf, resolveGrid } from '../src/form/index.js';
import { sumDecimals, fitsDouble } from '../src/sum/decimal.js';
import { streamText } from './helpers/pdf.js';
import { blank, runCli } from './helpers/reports.js';

/** The checks of a report's text (a summary's text is left to the summarizing office). */
const TEXT_CHECKS = ['EMPTY_TEXT', 'EMPTY_SECTION', 'FEE_SECTION'];

const dir = mkdtempSync(join(tmpdir(), 'xxgk-sum-'));
const form = formFor();
const APPLICANTS = ['naturalPerson', 'commercial', 'research', 'publicInterest', 'legalService', 'other'] as const;
const AGENCIES = [
  '测试市发展和改革委员会',
  '测试市教育局',
  '测试市公安局',
  '测试市民政局',
  '测试市司法局',
  '测试市财政局',
  '测试市人力资源和社会保障局',
  '测试市自然资源和规划局',
  '测试市生态环境局',
  '测试市住房和城乡建设局',
  '测试市交通运输局',
  '测试市卫生健康委员会',
  '测试市清江浦区人民政府',
];
const FEES = ['0.1', '0.2', '96171.60', '0.35', '24252.311082', '1', '0', '12.5', '3', '0.05', '7.25', '100', '0.001'];

const get = (o: any, path: string): any => path.split('.').reduce((x, k) => x?.[k], o);

/**
 * Member i with every total written out (`full`) and as its file says (odd members leave the
 * totals to the program). Distinct numbers; R1–R4 hold.
 */
function member(i: number, year = 2024, agency = AGENCIES[i]!): { full: any; file: any } {
  const b = blank(agency, year);
  let k = 0;
  const v = (mod = 97) => 1 + (((i + 1) * 37 + k++ * 11 + i * i) % mod);
  const a = b.applications;
  const row = (r: any) => {
    for (const c of APPLICANTS) r[c] = v(40);
    r.total = APPLICANTS.reduce((s, c) => s + r[c], 0);
  };
  const leaves = [
    a.granted,
    a.partiallyGranted,
    ...['denied', 'unableToProvide', 'notProcessed', 'otherHandling'].flatMap((g) => Object.values(a[g])),
  ];
  leaves.forEach(row);
  row(a.carriedForward);
  for (const c of APPLICANTS) {
    const done = leaves.reduce((s: number, r: any) => s + r[c], 0);
    a.total[c] = done;
    a.carriedOver[c] = v(Math.min(done + a.carriedForward[c], 60));
    a.received[c] = done + a.carriedForward[c] - a.carriedOver[c];
  }
  for (const r of [a.total, a.received, a.carriedOver]) r.total = APPLICANTS.reduce((s, c) => s + r[c], 0);
  for (const o of Object.values(b.reviewsAndLawsuits) as any[]) {
    o.upheld = v(9);
    o.corrected = v(7);
    o.other = v(5);
    o.pending = v(3);
    o.total = o.upheld + o.corrected + o.other + o.pending;
  }
  const p = b.proactive;
  for (const d of [p.regulations, p.normativeDocuments]) {
    d.issued = v(20);
    d.repealed = v(5);
    d.inForce = 100 + v(300);
  }
  p.licensing = 1000 + v(5000);
  p.punishment = 500 + v(2000);
  p.enforcement = v(90);
  p.fees = FEES[i % FEES.length]!;
  const file = JSON.parse(JSON.stringify(b));
  if (i % 2) {
    const strip = (o: any) => {
      if (o && typeof o === 'object') {
        delete o.total;
        Object.values(o).forEach(strip);
      }
    };
    strip(file.applications);
    strip(file.reviewsAndLawsuits);
  }
  return { full: b, file };
}

const members = Array.from({ length: 13 }, (_, i) => member(i));
const parsedMembers = members.map((m) => parseReport(m.file));

/** The form's bound cells (Table 2–4), in the form's order. */
const bound = [...bindingsOf(form.tables).keys()];
const countPaths = bound.filter((p) => p !== 'proactive.fees');
const expected = Object.fromEntries(countPaths.map((p) => [p, members.reduce((s, m) => s + get(m.full, p), 0)]));
/** The fee sum in integer millionths (all these fees have at most 6 decimals). */
const expectedFee = (() => {
  const micro = FEES.reduce((s, f) => s + Math.round(Number(f) * 1e6), 0);
  return `${Math.floor(micro / 1e6)}.${String(micro % 1e6).padStart(6, '0')}`;
})();

function writeMembers(folder: string, list: { name: string; json: unknown }[]): string {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const { name, json } of list) writeFileSync(join(folder, name), typeof json === 'string' ? json : JSON.stringify(json, null, 2));
  return folder;
}
const good = members.map((m, i) => ({ name: `m${String(i + 1).padStart(2, '0')}.json`, json: m.file }));

describe('sumReports', () => {
  const { report, diagnostics } = sumReports(parsedMembers, { agency: '测试市人民政府办公室' });

  it('every one of the 200 bound cells is the sum of the members', () => {
    expect(bound).toHaveLength(200);
    for (const p of countPaths) expect([p, get(report, p)]).toEqual([p, expected[p]]);
    expect(report.proactive.fees).toBe(expectedFee);
    expect(report.proactive.fees).toBe('120548.362082');
  });

  it('is a valid report with a generated overview paragraph, and renders', async () => {
    expect(diagnostics).toEqual([]);
    // Valid; its own 五 and 六 are the summarizing office's to write before a final render.
    expect(
      validate(report)
        .filter((d) => d.severity === 'error')
        .map((d) => `${d.code} ${d.path}`),
    ).toEqual(['EMPTY_TEXT problems', 'EMPTY_TEXT other']);
    expect(report.year).toBe(2024);
    expect(report.overview.intro![0]).toContain('本报告汇总了全市13个单位的政府信息公开工作年度报告。');
    const received = expected['applications.received.total']!;
    const carried = expected['applications.carriedOver.total']!;
    expect(report.overview.intro![0]).toContain(
      `共受理政府信息公开申请${received + carried}件（本年新收${received}件，上年结转${carried}件）`,
    );
    expect(report.overview.intro![0]).toContain(
      `办结${expected['applications.total.total']}件，结转下年度继续办理${expected['applications.carriedForward.total']}件`,
    );
    expect(report.other[0]!.heading).toContain('信息处理费');
    expect(report.problems).toEqual([]);
    const pdf = await renderPdf({
      ...report,
      problems: ['无。'],
      other: [{ ...report.other[0]!, paragraphs: ['本年度未收取信息处理费。'] }],
    });
    const file = join(dir, 'summary.pdf');
    writeFileSync(file, pdf);
    const text = await streamText(file);
    expect(text).toContain('测试市人民政府办公室2024年度政府信息公开工作年度报告');
    expect(text).toContain(String(expected['applications.total.total']));
    expect(text).toContain(expectedFee);
  });

  it('adds fees as decimals, with the precision of the most precise member', () => {
    const fee = (...fees: string[]) =>
      sumReports(
        fees.map((f, i) => parseReport({ ...blank(`单位${i}`), proactive: { ...blank().proactive, fees: f } })),
        { agency: '测试县人民政府' },
      ).report.proactive.fees;
    expect(fee('0.1', '0.2')).toBe('0.3');
    expect(fee('96171.60', '0.35')).toBe('96171.95');
    expect(fee('24252.311082', '1')).toBe('24253.311082');
    expect(fee('0.50', '0.50')).toBe('1.00');
    expect(sumDecimals(['9999999999999999.999999999999', '0.000000000001'])).toBe('10000000000000000.000000000000');
    expect(fitsDouble('24252.311082')).toBe(true);
    expect(fitsDouble('12345678901.1234567')).toBe(false);
  });

  it('refuses a sum past Number.MAX_SAFE_INTEGER from a library caller that built reports without the schema', () => {
    // parseReport refuses counts over 10^12 (no sum of members can then overflow); a caller may still
    // hand sumReports objects of its own.
    const big = (agency: string) => {
      const r = parseReport(blank(agency));
      r.proactive.licensing = Number.MAX_SAFE_INTEGER - 1;
      return r;
    };
    try {
      sumReports([big('甲'), big('乙')], { agency: '测试县人民政府' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ReportError);
      expect((e as ReportError).kind).toBe('rule');
      expect((e as ReportError).message).toContain(
        '表二 行政许可 / 第二十条第（五）项 本年处理决定数量：合计 18014398509481980 超出可精确处理的整数范围（上限 9007199254740991）',
      );
    }
  });

  it('leaves out members of another year and a second report of an agency, saying why', () => {
    const r = sumReports(
      [
        { report: parsedMembers[0]!, file: 'a.json' },
        { report: parseReport(member(1, 2023).file), file: 'b.json' },
        { report: parsedMembers[0]!, file: 'c.json' },
      ],
      { agency: '测试市人民政府办公室', year: 2024 },
    );
    expect(r.members.map((m) => m.status)).toEqual(['included', 'other-year', 'duplicate']);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'b.json（测试市教育局）：报告年度为 2023 年，汇总的年度为 2024 年，未计入汇总',
      'c.json（测试市发展和改革委员会）：与 a.json（测试市发展和改革委员会） 是同一机关（机关名称相同），未计入汇总',
    ]);
    expect(r.report.proactive.licensing).toBe(members[0]!.full.proactive.licensing);
  });
});

describe('xxgk sum', () => {
  const folder = writeMembers(join(dir, 'members'), good);
  const out = join(dir, 'out');

  it('writes the summary and the workbook; same input, same bytes', () => {
    const r = runCli(['sum', folder, '--agency', '测试市人民政府办公室', '-o', join(out, '汇总.json'), '--xlsx', join(out, '汇总.xlsx')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('汇总了 13 份报告');
    const summary = parseReport(readFileSync(join(out, '汇总.json'), 'utf8'));
    for (const p of countPaths) expect(get(summary, p)).toBe(expected[p]);
    expect(summary.proactive.fees).toBe(expectedFee);
    // The summary's text is the summarizing office's to write: only the checks of its text remain.
    expect(validate(summary).filter((d) => !TEXT_CHECKS.includes(d.code))).toEqual([]);
    const first = { json: readFileSync(join(out, '汇总.json')), xlsx: readFileSync(join(out, '汇总.xlsx')) };
    expect(
      runCli(['sum', folder, '--agency', '测试市人民政府办公室', '-o', join(out, '汇总.json'), '--xlsx', join(out, '汇总.xlsx')]).code,
    ).toBe(0);
    expect(readFileSync(join(out, '汇总.json')).equals(first.json)).toBe(true);
    expect(readFileSync(join(out, '汇总.xlsx')).equals(first.xlsx)).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['汇总.json', '汇总.xlsx']);
  });

  /** Bad members; `says(folder)` is what stderr must contain when they sit in `folder`. */
  const bad = {
    year: {
      name: 'z-year.json',
      json: member(20, 2023, '测试市审计局').file,
      says: (f: string) => `${f}/z-year.json（测试市审计局）：未计入汇总——报告年度为 2023 年，汇总的年度为 2024 年`,
    },
    duplicate: {
      name: 'z-dup.json',
      json: { ...member(21).file, agency: ` ${AGENCIES[2]} ` },
      says: (f: string) => `${f}/z-dup.json（${AGENCIES[2]}）：未计入汇总——与 ${f}/m03.json（${AGENCIES[2]}） 是同一机关（机关名称相同）`,
    },
    r1: {
      name: 'z-r1.json',
      json: (() => {
        const m = member(22, 2024, '测试市统计局').full;
        m.applications.carriedForward.research += 1;
        m.applications.carriedForward.total += 1;
        return m;
      })(),
      says: (f: string) => `${f}/z-r1.json（测试市统计局）: 错误 [R1] 表三 科研机构 列：第一项加第二项之和`,
    },
    broken: {
      name: 'z-broken.json',
      json: '{"agency": "测试市商务局",\n}',
      says: (f: string) => `${f}/z-broken.json: 错误 [JSON] 不是有效的 JSON：第 2 行第 1 列`,
    },
  };

  it.each(Object.entries(bad))('refuses a member (%s): named in stderr, exit 1, nothing written', (kind, b) => {
    writeMembers(join(dir, `bad-${kind}`), [...good, b]);
    const o = join(dir, `out-${kind}`);
    const r = runCli(['sum', `bad-${kind}`, '--agency', '测试市人民政府办公室', '-o', join(o, 's.json'), '--xlsx', join(o, 's.xlsx')], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(b.says(`bad-${kind}`));
    expect(r.stderr).toContain('未生成汇总：1 份成员报告有问题');
    expect(existsSync(o)).toBe(false);
  });

  it('lists every problem member at once; --draft writes anyway and says who was left out', () => {
    writeMembers(join(dir, 'all-bad'), [...good, ...Object.values(bad)]);
    const o = join(dir, 'out-all');
    const args = ['sum', 'all-bad', '--agency', '测试市人民政府办公室', '-o', join(o, 's.json'), '--xlsx', join(o, 's.xlsx')];
    const r = runCli(args, { cwd: dir });
    expect(r.code).toBe(1);
    for (const b of Object.values(bad)) expect(r.stderr).toContain(b.says('all-bad'));
    expect(r.stderr).toContain('未生成汇总：4 份成员报告有问题');
    expect(existsSync(o)).toBe(false);

    const d = runCli([...args, '--draft'], { cwd: dir });
    // A draft is written and still fails, as render --draft does (issue 27).
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('汇总了 14 份报告');
    expect(d.stdout).toContain('（草稿）');
    expect(d.stderr).toMatch(
      /草稿：未计入 3 份——all-bad\/z-broken\.json（无法读取）、all-bad\/z-dup\.json（测试市公安局）（机关重复）、all-bad\/z-year\.json（测试市审计局）（年度不符）/,
    );
    expect(d.stderr).toContain('草稿：计入但有错误 1 份——all-bad/z-r1.json（测试市统计局）');
    const summary = parseReport(readFileSync(join(o, 's.json'), 'utf8'));
    // The R1 member is in the sums, so the summary breaks R1 in the same column.
    expect(summary.applications.carriedForward.research).toBe(
      expected['applications.carriedForward.research']! + get(bad.r1.json, 'applications.carriedForward.research'),
    );
    expect(
      validate(summary)
        .map((x) => x.code)
        .filter((c) => !TEXT_CHECKS.includes(c)),
    ).toEqual(['R1', 'R1']);
  });

  it('refuses a file that is not what its extension says, naming it', () => {
    const f = join(dir, '报告.docx');
    writeFileSync(f, 'PK');
    const r = runCli(['sum', f, join(folder, 'm01.json'), '--agency', '测试市人民政府办公室', '-o', join(dir, 'never.json')], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('报告.docx');
    expect(r.stderr).toContain('未计入汇总');
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('reads members published as DOCX and PDF through the importer, with the same sums as their JSON', async () => {
    const docx = join(dir, 'm01.docx');
    const pdf = join(dir, 'm02.pdf');
    writeFileSync(docx, await renderDocx(parseReport(readFileSync(join(folder, 'm01.json'), 'utf8'))));
    writeFileSync(pdf, await renderPdf(parseReport(readFileSync(join(folder, 'm02.json'), 'utf8'))));
    const fromJson = join(dir, 'pub-json.json');
    const fromPublished = join(dir, 'pub-doc.json');
    const agency = ['--agency', '测试市人民政府办公室'];
    expect(runCli(['sum', join(folder, 'm01.json'), join(folder, 'm02.json'), ...agency, '-o', fromJson], { cwd: dir }).code).toBe(0);
    const r = runCli(['sum', docx, pdf, ...agency, '-o', fromPublished], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(readFileSync(fromJson, 'utf8'));
    const b = JSON.parse(readFileSync(fromPublished, 'utf8'));
    expect(b.applications).toEqual(a.applications);
    expect(b.proactive).toEqual(a.proactive);
    expect(b.reviewsAndLawsuits).toEqual(a.reviewsAndLawsuits);
  });

  it('--previous checks the sums against last year: R5 refuses, R6 warns', () => {
    const last = sumReports(
      members.map((m) => parseReport({ ...m.file, year: 2023 })),
      { agency: '测试市人民政府办公室' },
    ).report;
    const prev = join(dir, 'last.json');
    writeFileSync(prev, JSON.stringify(last));
    const o = join(dir, 'out-prev');
    const args = ['sum', folder, '--agency', '测试市人民政府办公室', '-o', join(o, 's.json'), '--previous', prev];
    const r = runCli(args, { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /汇总 .*s\.json: 错误 \[R5\] 表三 自然人 列：本年“二、上年结转政府信息公开申请数量” \d+ ≠ 2023年报告“四、结转下年度继续办理” \d+/,
    );
    expect(r.stderr).toMatch(/汇总 .*s\.json: 警告 \[R6\] 表二 规章：现行有效件数/);
    expect(r.stderr).toContain('未生成汇总：汇总有错误');
    expect(existsSync(o)).toBe(false);
    // Last year's carried-forward equal to this year's carried-over: R5 holds.
    const fixed = { ...last, applications: { ...last.applications, carriedForward: { ...expectedRow('applications.carriedOver') } } };
    writeFileSync(prev, JSON.stringify(fixed));
    const ok = runCli(args, { cwd: dir });
    expect(ok.stderr).not.toContain('[R5]');
    expect(ok.stderr).toContain('[R6]');
    expect(ok.code).toBe(0);
  });
});

function expectedRow(path: string) {
  return Object.fromEntries([...APPLICANTS, 'total'].map((c) => [c, expected[`${path}.${c}`]]));
}

/** Columns of a table in the form's order, read from the form's grid (not from the workbook code). */
const formOrder = (id: string) =>
  resolveGrid(form.tables[id]!)
    .cells.filter((c) => c.bind)
    .map((c) => c.bind!);
const col = (n: number) => {
  let s = '';
  for (n++; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

describe('the workbook', () => {
  const wb = new ExcelJS.Workbook();
  beforeAll(async () => {
    const book = join(dir, 'out', '汇总.xlsx');
    if (!existsSync(book))
      runCli(['sum', join(dir, 'members'), '--agency', '测试市人民政府办公室', '-o', join(dir, 'out', '汇总.json'), '--xlsx', book]);
    await wb.xlsx.readFile(book);
  });

  it('has a sheet per table, then 核对 and 说明', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(['表二', '表三', '表四', '核对', '说明']);
  });

  it.each(['table2', 'table3', 'table4'])('%s: a row per member, the 合计 row and SUM formulas with their results', (id) => {
    const ws = wb.getWorksheet(form.tables[id]!.name)!;
    const paths = formOrder(id);
    const first = 5;
    members.forEach((m, i) => {
      const row = ws.getRow(first + i);
      expect(row.getCell(1).value).toBe(i + 1);
      expect(row.getCell(2).value).toBe(AGENCIES[i]);
      paths.forEach((p, j) =>
        expect([p, row.getCell(3 + j).value]).toEqual([p, p === 'proactive.fees' ? Number(FEES[i]) : get(m.full, p)]),
      );
    });
    const total = ws.getRow(first + 13);
    const formula = ws.getRow(first + 14);
    expect(total.getCell(2).value).toBe('合计');
    expect(formula.getCell(2).value).toBe('合计（公式）');
    paths.forEach((p, j) => {
      const want = p === 'proactive.fees' ? Number(expectedFee) : expected[p];
      expect([p, total.getCell(3 + j).value]).toEqual([p, want]);
      expect([p, formula.getCell(3 + j).value]).toEqual([
        p,
        { formula: `SUM(${col(2 + j)}${first}:${col(2 + j)}${first + 12})`, result: want },
      ]);
    });
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 2, ySplit: 4 });
  });

  it('merges the header as the form does', () => {
    const merges = (name: string) => (wb.getWorksheet(name)!.model as unknown as { merges: string[] }).merges;
    // 表二: block heading over both rows of 第二十条第（一）项, then 规章 over its three columns.
    expect(merges('表二')).toEqual(expect.arrayContaining(['A2:A4', 'B2:B4', 'C2:H2', 'C3:E3', 'F3:H3']));
    const t2 = wb.getWorksheet('表二')!;
    expect([
      t2.getCell('C2').value,
      t2.getCell('C3').value,
      t2.getCell('C4').value,
      t2.getCell('L3').value,
      t2.getCell('L4').value,
    ]).toEqual(['第二十条第（一）项', '规章', '本年制发件数', '行政事业性收费', '本年收费金额（单位：万元）']);
    // 表三 transposed: each of the 25 rows is a block of 7 columns: row label / applicant group / applicant.
    const t3 = wb.getWorksheet('表三')!;
    expect(merges('表三')).toEqual(expect.arrayContaining(['C2:I2', 'C3:C4', 'D3:H3', 'I3:I4', 'J2:P2']));
    expect(merges('表三').filter((m) => /^[A-Z]+2:/.test(m))).toHaveLength(2 + 25);
    expect([
      t3.getCell('C2').value,
      t3.getCell('C3').value,
      t3.getCell('D3').value,
      t3.getCell('D4').value,
      t3.getCell('I3').value,
    ]).toEqual(['一、本年新收政府信息公开申请数量', '自然人', '法人或其他组织', '商业企业', '总计']);
    expect(t3.getCell(2, 3 + 7 * 5).value).toBe('（三）不予公开 2.其他法律行政法规禁止公开');
    expect(t3.columnCount).toBe(2 + 25 * 7);
    // 表四: 行政复议 over 5, 行政诉讼 over 10, the 行政复议 outcomes reaching down two rows.
    expect(merges('表四')).toEqual(expect.arrayContaining(['C2:G2', 'H2:Q2', 'C3:C4', 'G3:G4', 'H3:L3', 'M3:Q3']));
  });

  it('fits its columns to the text, Han characters counting double', () => {
    const t3 = wb.getWorksheet('表三')!;
    expect(t3.getColumn(2).width).toBeGreaterThanOrEqual(2 * '测试市人力资源和社会保障局'.length);
    expect(t3.getColumn(6).width).toBeGreaterThanOrEqual(2 * '社会公益组织'.length);
  });

  it('核对 lists every member with its findings, 说明 the sources with SHA-256 and a fixed date', () => {
    const check = wb.getWorksheet('核对')!;
    expect(check.getRow(1).values).toEqual([undefined, '文件', '单位', '汇总', '代码', '级别', '说明', '位置']);
    const agencies = new Set<string>();
    check.eachRow((row, r) => r > 1 && agencies.add(String(row.getCell(2).value)));
    for (const a of AGENCIES) expect(agencies).toContain(a);
    const notes = wb.getWorksheet('说明')!;
    const text: string[] = [];
    notes.eachRow((row) => row.eachCell((c) => text.push(String(c.value))));
    const sha = execFileSync('sha256sum', [join(dir, 'members', 'm01.json')], { encoding: 'utf8' }).split(' ')[0]!;
    expect(text).toContain(sha);
    expect(text).toContain('m01.json'); // outside the working folder: the file name, never an absolute path
    expect(text.join('\n')).not.toContain(dir);
    expect(text.join('\n')).toContain('2025-01-01');
    expect(wb.created.toISOString()).toBe('2024-12-31T16:00:00.000Z');
    expect(wb.modified.toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });

  it('keeps a fee with more digits than a double in a note', async () => {
    const r = parseReport({ ...blank('测试局'), proactive: { ...blank().proactive, fees: '12345678901.1234567' } });
    const bytes = await writeWorkbook([{ name: 'a.json', report: r, diagnostics: [] }], { title: '测试', command: 'test' });
    const w = new ExcelJS.Workbook();
    await w.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const cell = w.getWorksheet('表二')!.getCell('L5');
    expect(cell.value).toBe(12345678901.123457);
    expect(cell.numFmt).toBe('0.0000000');
    expect(JSON.stringify(cell.note)).toContain('12345678901.1234567');
  });
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((p) => existsSync(p));
const calc = soffice && existsSync('/usr/lib/libreoffice/program/libsclo.so');
if (!calc) {
  if (process.env.XXGK_REQUIRE_TOOLS === '1')
    throw new Error('LibreOffice Calc is required (XXGK_REQUIRE_TOOLS=1): apt-get install libreoffice-calc-nogui');
  console.log('跳过 LibreOffice 对工作簿的检查：未安装 LibreOffice Calc（Debian 软件包 libreoffice-calc-nogui）');
}

describe.skipIf(!calc)('the workbook in LibreOffice Calc', () => {
  /** Every sheet of a workbook as CSV rows (filter option 12 = -1: one file per sheet). */
  function sheetsAsCsv(file: string, name: string): Record<string, string[][]> {
    const out = join(dir, `csv-${name}`);
    mkdirSync(out, { recursive: true });
    execFileSync(
      soffice!,
      [
        `-env:UserInstallation=file://${join(dir, `lo-${name}`)}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
        '--outdir',
        out,
        file,
      ],
      { stdio: 'pipe', timeout: 120_000 },
    );
    const sheets: Record<string, string[][]> = {};
    for (const f of readdirSync(out)) {
      const sheet = /-([^-]+)\.csv$/.exec(f)![1]!;
      sheets[sheet] = readFileSync(join(out, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(','));
    }
    return sheets;
  }

  function checkTotals(sheets: Record<string, string[][]>) {
    for (const id of ['table2', 'table3', 'table4']) {
      const rows = sheets[form.tables[id]!.name]!;
      const paths = formOrder(id);
      for (const label of ['合计', '合计（公式）']) {
        const row = rows.find((r) => r[1] === label)!;
        expect(row.slice(2)).toEqual(paths.map((p) => (p === 'proactive.fees' ? expectedFee : String(expected[p]))));
      }
      expect(rows.filter((r) => /^\d+$/.test(r[0]!)).map((r) => r[1])).toEqual(AGENCIES);
    }
  }

  it('shows the same totals as the summary, and computes the SUM formulas to them', () => {
    const book = join(dir, 'out', '汇总.xlsx');
    checkTotals(sheetsAsCsv(book, 'cached'));
    // Without the cached results, Calc computes every SUM itself.
    const files = unzipSync(readFileSync(book));
    let stripped = 0;
    for (const name of Object.keys(files).filter((n) => n.startsWith('xl/worksheets/sheet')))
      files[name] = strToU8(strFromU8(files[name]!).replace(/(<f>[^<]*<\/f>)<v>[^<]*<\/v>/g, (_, f: string) => (stripped++, f)));
    expect(stripped).toBe(10 + 175 + 15);
    const bare = join(dir, 'bare.xlsx');
    writeFileSync(bare, zipSync(files));
    checkTotals(sheetsAsCsv(bare, 'computed'));
  });
});

describe('xxgk batch --xlsx', () => {
  it('writes the same workbook for the inputs that parsed', async () => {
    const f = writeMembers(join(dir, 'batch-in'), [...good.slice(0, 3), { name: 'z-broken.json', json: '{' }]);
    const book = join(dir, 'batch-out', 'book.xlsx');
    const r = runCli(['batch', f, '-o', join(dir, 'batch-out'), '--pdf', '--jobs', '1', '--xlsx', book]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('工作簿 →');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(book);
    const t3 = wb.getWorksheet('表三')!;
    expect([5, 6, 7].map((r) => t3.getCell(r, 2).value)).toEqual(AGENCIES.slice(0, 3));
    expect(t3.getCell(8, 2).value).toBe('合计');
    expect(t3.getCell(8, 3).value).toBe(members.slice(0, 3).reduce((s, m) => s + m.full.applications.received.naturalPerson, 0));
    const check: string[] = [];
    wb.getWorksheet('核对')!.eachRow((row) => check.push(row.values!.toString()));
    expect(check.join('\n')).toMatch(/z-broken\.json.*未计入：无法读取.*JSON/);
  });
});
