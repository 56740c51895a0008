#!/usr/bin/env node
/** `xxgk`: the command line. Thin: parse flags, call the library, print, set the exit code. */
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { clip, EXIT, ReportError, type Diagnostic } from '../diagnostics.js';
import { checkOutputs, ensureDir, outputStem, removePending, writeAll, writeAtomic, writeTogether } from '../app/output.js';
import type { DocxFontMode } from '../docx/index.js';
import type { FontConfig } from '../fonts/index.js';
import { exitCodeOf, formatDiagnostic, shown, shownJson, summary } from './output.js';
import { tierUpForRendering } from './tier-up.js';
import { chosenFormats, WRITER_IDS, WRITERS } from '../writers/index.js';

// The model, the rules and the font configuration (zod and all) load in the commands that use
// them: `render` and `batch` start their render workers without waiting for them.
const check = () => import('../app/check.js');
const fontConfig = async (file: string | undefined): Promise<FontConfig | undefined> =>
  file ? (await import('../fonts/config.js')).readFontConfig(file) : undefined;

const HELP_TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Options:': '选项：',
  'Commands:': '命令：',
  'Arguments:': '参数：',
  'Global Options:': '全局选项：',
};

const program = new Command();
let debug = false;

program
  .name('xxgk')
  .description('政府信息公开工作年度报告生成工具：检查数据的勾稽关系，生成正式格式的 PDF、DOCX 和供门户网站发布的网页（HTML）')
  .option('--debug', '出错时显示程序内部的调用栈（供开发人员排查）')
  .hook('preAction', (cmd) => {
    debug = Boolean(cmd.opts().debug);
  })
  .configureOutput({ outputError: () => {} })
  .configureHelp({
    styleTitle: (title) => HELP_TITLES[title] ?? title,
    styleUsage: (usage) => usage.replace('[options]', '[选项]').replace('[command]', '[命令]'),
    styleSubcommandTerm: (term) => term.replace('[options]', '[选项]'),
    optionDescription: (option) => {
      const extra = [
        option.argChoices ? `可选：${option.argChoices.join('、')}` : '',
        option.defaultValue !== undefined && !option.negate ? `默认：${String(option.defaultValue)}` : '',
      ].filter(Boolean);
      return extra.length ? `${option.description}（${extra.join('；')}）` : option.description;
    },
  })
  .exitOverride()
  .helpOption('-h, --help', '显示帮助')
  .helpCommand('help [命令]', '显示某个命令的帮助')
  .version(process.env.npm_package_version ?? '0.1.0', '-V, --version', '显示版本号');

program
  .command('validate')
  .description('检查报告：数据格式、勾稽关系（R1–R8）；有错误时退出码为 1，文件无法读取或格式不符为 2')
  .argument('<报告.json>', '本年度报告的 JSON 文件')
  .option('--previous <上年报告.json>', '上一年度的报告，用于跨年度核对（上年结转、现行有效件数）')
  .option('--json', '以 JSON 输出检查结果')
  .option('--fonts <字体配置.json>', '自定义字体（与 render 相同），用于检查每个字是否有字形')
  .action(async (file: string, opts: { previous?: string; json?: boolean; fonts?: string }) => {
    const { checkFile, failed } = await check();
    const answer = (ok: boolean, diagnostics: Diagnostic[]) =>
      process.stdout.write(`${shownJson(JSON.stringify({ file, ok, diagnostics }, null, 2))}\n`);
    let checked;
    try {
      const fonts = await fontConfig(opts.fonts);
      checked = await checkFile(file, { previous: opts.previous, fonts });
    } catch (e) {
      // --json answers in JSON whatever went wrong, with the same exit code.
      if (!opts.json) throw e;
      if (e instanceof ReportError) {
        answer(false, e.diagnostics);
        process.exitCode = exitCodeOf(e.kind);
      } else {
        answer(false, [
          { code: 'INTERNAL', severity: 'error', path: '$', message: `内部错误：${clip(e instanceof Error ? e.message : String(e), 500)}` },
        ]);
        process.exitCode = 3;
      }
      return;
    }
    const ok = !failed(checked);
    if (opts.json) {
      answer(ok, checked.diagnostics);
    } else {
      for (const d of checked.diagnostics) process.stdout.write(`${formatDiagnostic(d, file)}\n`);
      process.stdout.write(`${shown(file)}: ${summary(checked.diagnostics)}\n`);
    }
    process.exitCode = ok ? EXIT.ok : EXIT.rule;
  });

program
  .command('schema')
  .description('输出报告数据的 JSON Schema（供编辑器自动补全和检查）')
  .action(async () => {
    const { jsonSchema } = await import('../model/schema.js');
    process.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
  });

program
  .command('init')
  .description('输出一份空白报告（数字均为 0），供填写；或用 --from 由上年报告生成本年度的框架')
  .option('--agency <机关名称>', '报告机关的全称，如“淮安市人民政府”（不用 --from 时必填）')
  .option('--year <年度>', '报告年度，如 2025（不用 --from 时必填）')
  .option(
    '--from <上年报告>',
    '上年报告（JSON、DOCX、PDF 或 HTML）：年度加一，“二、上年结转”取上年“四、结转下年度继续办理”，现行有效件数沿用，其余数字为 0，文字清空',
  )
  .action(async (opts: { agency?: string; year?: string; from?: string }) => {
    if (opts.from) {
      const { initFrom } = await import('./import.js');
      process.stdout.write(await initFrom(opts.from));
      return;
    }
    if (opts.agency === undefined || opts.year === undefined)
      throw argError(`缺少必需的选项 ${opts.agency === undefined ? '--agency' : '--year'}（或用 --from 指定上年报告）`);
    const [{ parseReportValue }, { MIN_YEAR }, { blankReport }, { validate }] = await Promise.all([
      import('../model/load.js'),
      import('../model/schema.js'),
      import('../model/blank.js'),
      check(),
    ]);
    const year = Number(opts.year);
    const max = new Date().getFullYear() + 1;
    if (!/^\d{4}$/.test(opts.year) || year < MIN_YEAR || year > max)
      throw new ReportError('input', [
        {
          code: 'ARGS',
          severity: 'error',
          path: 'year',
          message: `报告年度应为 ${MIN_YEAR} 至 ${max} 之间的四位数字，实际为 "${clip(opts.year)}"`,
        },
      ]);
    if (!opts.agency.trim())
      throw new ReportError('input', [{ code: 'ARGS', severity: 'error', path: 'agency', message: '机关名称不能为空' }]);
    // What init writes passes its own validate but for the text still to be written (EMPTY_TEXT:
    // a blank is not a final report): the same schema and glyph checks, the same messages.
    const blankJson = JSON.stringify(blankReport(opts.agency.trim(), year), null, 2);
    const parsed = parseReportValue(JSON.parse(blankJson));
    const errors = parsed.ok
      ? validate(parsed.report).filter((d) => d.severity === 'error' && d.code !== 'EMPTY_TEXT')
      : parsed.diagnostics;
    if (errors.length) throw new ReportError('input', errors);
    process.stdout.write(`${blankJson}\n`);
  });

program
  .command('import')
  .description(
    '从已发布的报告（DOCX、DOC、PDF、HTML，或其网址）读取数据，生成报告 JSON：表格按正式的行列名称逐格读取；网页只附有报告文件时读取附件；有缺项时退出码为 1 且不写出，文件无法读取或被拒绝为 2',
  )
  .argument('<文件或网址...>', '.docx、.doc、.pdf、.html/.htm 或 .json 文件，或 http(s):// 网址')
  .option('-o, --out <文件或文件夹>', '输出：一个输入时可写 .json 文件名；多个输入时为文件夹（每份为 <文件名>.json）；不写时输出到屏幕')
  .option('--partial', '有缺项时仍然写出已读到的内容（缺少的数字记为 0），并列出缺项')
  .action(async (files: string[], opts: { out?: string; partial?: boolean }) => {
    const { runImport } = await import('./import.js');
    process.exitCode = await runImport(files, opts);
  });

withFormatFlags(program.command('render'))
  .description('检查并生成正式格式的报告文件（默认为 PDF 和 DOCX，--html 生成网页）；有勾稽关系错误时不生成，除非使用 --draft')
  .argument('<报告.json...>', '一个或多个报告 JSON 文件')
  .option('-o, --out <文件夹>', '输出文件夹', 'out')
  .addOption(
    new Option(
      '--docx-fonts <方式>',
      'DOCX 的字体：embed 嵌入自带字体的子集；official 使用方正小标宋简体、仿宋_GB2312、黑体、楷体_GB2312 且不嵌入；none 使用自带字体但不嵌入',
    )
      .choices(['embed', 'official', 'none'])
      .default('embed'),
  )
  .option('--draft', '即使有勾稽关系错误也生成，每页标注“草稿”（退出码仍为 1；缺字形时不生成）')
  .option('--pdfa', '生成 PDF/A-2b（长期归档格式）')
  .option('--previous <上年报告.json>', '上一年度的报告，用于跨年度核对')
  .option('--fonts <字体配置.json>', '自定义字体：JSON 文件，按角色（title、body、heading1、heading2、table、pageNumber）指定字体文件')
  .addOption(nameOption())
  .action(async (files: string[], opts: RenderFlags) => {
    // Reports render in a worker thread: this one stays free to stop at once on Ctrl-C or SIGTERM.
    await tierUpForRendering();
    const { runJobs } = await import('../app/pool.js');
    if (opts.previous && files.length > 1) throw argError('--previous 只能与一个报告文件同时使用');
    const stemOf = opts.name === 'title' ? await titleStems() : outputStem;
    const clash = clashing(files, stemOf);
    if (clash)
      throw argError(
        `${clash[0]} 和 ${clash[1]} 的输出文件名相同（${stemOf(clash[1])}），后生成的会覆盖先生成的：请改名，或分别输出到不同的文件夹（-o）`,
      );
    const formats = formatsOf(opts);
    // Before any work: no output may be an input, a link, a device, or another output.
    checkOutputs(
      [...files, ...(opts.previous ? [opts.previous] : [])],
      files.flatMap((f) =>
        WRITERS.filter((w) => formats.includes(w.id)).map((w) => ({
          file: join(opts.out, `${outputStem(f)}${w.extension}`),
          what: '输出文件',
        })),
      ),
    );
    const fonts = await fontConfig(opts.fonts);
    ensureDir(opts.out);
    const job = { formats, pdfa: opts.pdfa, fonts, docxFonts: opts.docxFonts, draft: opts.draft, previous: opts.previous };
    let exit: number = EXIT.ok;
    // One report as a batch renders it: everything first, then written, so a failure leaves no half of the pair.
    await runJobs(files, job, {
      threads: 1,
      onResult: (result) => {
        const file = result.input;
        for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, (!result.ok && result.file) || file)}\n`);
        let targets: string[] | undefined;
        try {
          targets = result.ok ? writeAll(opts.out, renamed(result.outputs, file, stemOf)) : undefined;
        } catch (e) {
          if (!(e instanceof ReportError)) throw e;
          for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d, file)}\n`);
          process.stderr.write(`${shown(file)}：未生成\n`);
          exit = Math.max(exit, exitCodeOf(e.kind));
          return;
        }
        if (result.ok) {
          const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
          process.stdout.write(`${shown(file)} → ${shown(targets!.join('、'))}${errors ? '（草稿）' : ''}\n`);
          // A draft with errors is written, and still fails: exit 1, as validate says.
          if (errors) process.stderr.write(`${shown(file)}：草稿已生成（有 ${errors} 个错误，每页标注“草稿”，不能作为正式报告）\n`);
          if (errors) exit = Math.max(exit, EXIT.rule);
        } else {
          // --draft renders despite rule errors, never with a character that would print as a box.
          const hint =
            result.kind === 'glyph'
              ? `（有字体中没有的字，${opts.draft ? '草稿也' : ''}不能生成：请改用常用字，或用 --fonts 指定含有这些字的字体）`
              : result.kind !== 'rule' || opts.draft
                ? ''
                : '（请改正上述错误，或用 --draft 生成草稿）';
          process.stderr.write(`${shown(file)}：未生成${hint}\n`);
          exit = Math.max(exit, exitCodeOf(result.kind));
        }
      },
    });
    process.exitCode = exit;
  });

withFormatFlags(program.command('batch'))
  .description('批量生成：多个报告文件或文件夹，多线程并行；出错的报告列出原因并跳过，其余照常生成，结果写入 batch-report.json')
  .argument('<路径...>', '报告 JSON 文件，或含有报告的文件夹')
  .requiredOption('-o, --out <文件夹>', '输出文件夹')
  .option('-j, --jobs <数量>', '并行的线程数（默认为 CPU 核数）')
  .option('--pdfa', '生成 PDF/A-2b')
  .addOption(
    new Option('--docx-fonts <方式>', 'DOCX 的字体：embed、official 或 none').choices(['embed', 'official', 'none']).default('embed'),
  )
  .option('--fonts <字体配置.json>', '自定义字体配置')
  .option(
    '--xlsx <工作簿.xlsx>',
    '同时生成工作簿：每份能读取的报告一行（表二、表三、表四），含合计、核对结果和来源说明（与 xxgk sum 相同）',
  )
  .addOption(nameOption())
  .action(async (paths: string[], opts: BatchFlags) => {
    await tierUpForRendering();
    const { collectInputs, runBatch } = await import('../batch/index.js');
    const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
    if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 64))
      throw argError(`--jobs 应为 1 至 64 之间的整数，实际为 "${opts.jobs}"`);
    const fonts = await fontConfig(opts.fonts);
    const skipped: string[] = [];
    const inputs = collectInputs(paths, { outDir: opts.out, skipped });
    if (!inputs.length)
      throw argError(
        `没有找到报告文件（*.json）${skipped.length ? `：输出文件夹 ${skipped.join('、')} 本身不在查找范围内，请把报告放在另一个文件夹，或另选输出文件夹` : ''}`,
      );
    const formats = formatsOf(opts);
    // (Two inputs of one name are the batch's own case: the later ones fail, named.)
    const oneOfName = [...new Map(inputs.map((f) => [outputStem(f).toLowerCase(), f] as const)).values()];
    checkOutputs(inputs, [
      ...oneOfName.flatMap((f) =>
        WRITERS.filter((w) => formats.includes(w.id)).map((w) => ({
          file: join(opts.out, `${outputStem(f)}${w.extension}`),
          what: '输出文件',
        })),
      ),
      { file: join(opts.out, 'batch-report.json'), what: '批量结果' },
      ...(opts.xlsx ? [{ file: opts.xlsx, what: '工作簿' }] : []),
    ]);
    const tty = process.stderr.isTTY;
    const started = performance.now();
    const controller = new AbortController();
    activeBatch = controller;
    let failedCount = 0;
    const report = await runBatch(inputs, {
      out: opts.out,
      jobs,
      formats,
      pdfa: opts.pdfa,
      fonts,
      docxFonts: opts.docxFonts,
      ...(opts.name === 'title' ? { outputName: await titleStems() } : {}),
      signal: controller.signal,
      onResult: (result, done, total) => {
        const elapsed = (performance.now() - started) / 1000;
        const rate = done / Math.max(elapsed, 1e-3);
        if (tty) process.stderr.write('\r\x1b[K');
        if (!result.ok) {
          failedCount++;
          for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, result.input)}\n`);
          process.stderr.write(`${shown(result.input)}：未生成\n`);
        } else if (!tty) process.stderr.write(`[${done}/${total}] ${shown(result.input)}\n`);
        if (tty) {
          const eta = (total - done) / Math.max(rate, 1e-3);
          process.stderr.write(`已完成 ${done}/${total}，失败 ${failedCount}，${rate.toFixed(1)} 份/秒，预计还需 ${eta.toFixed(0)} 秒`);
        }
      },
    });
    activeBatch = undefined;
    if (tty) process.stderr.write('\r\x1b[K');
    const s = report.summary;
    process.stderr.write(
      `${s.interrupted ? '已中断。' : ''}共 ${s.inputs} 份：生成 ${s.written} 份，失败 ${s.failed} 份${s.notStarted ? `，未处理 ${s.notStarted} 份` : ''}，用时 ${s.seconds} 秒。` +
        `明细见 ${shown(join(opts.out, 'batch-report.json'))}\n`,
    );
    if (opts.xlsx) {
      const { batchWorkbook } = await import('../sum/run.js');
      const dir = dirname(opts.xlsx) || '.';
      ensureDir(dir);
      process.stderr.write(`工作簿 → ${writeAtomic(dir, basename(opts.xlsx), await batchWorkbook(inputs, report))}\n`);
    }
    process.exitCode = s.interrupted ? 130 : s.failed || s.notStarted ? EXIT.rule : EXIT.ok;
  });

program
  .command('sum')
  .description(
    '汇总：把各部门、各乡镇的报告相加，生成本地区的汇总报告（JSON）和各单位数字的工作簿（XLSX）；成员报告有问题时不生成，除非使用 --draft',
  )
  .argument('<路径...>', '成员报告的 JSON 文件，或含有成员报告的文件夹（取其中的 *.json）')
  .requiredOption('--agency <机关名称>', '汇总报告的机关名称，如“淮安市人民政府办公室”')
  .requiredOption('-o, --out <汇总.json>', '汇总报告文件（可再用 xxgk render 生成 PDF 和 DOCX）')
  .option('--xlsx <工作簿.xlsx>', '同时生成工作簿：表二、表三、表四每个单位一行，含合计、求和公式、核对结果和来源说明')
  .option('--title <标题>', '汇总报告的标题（默认为“<机关名称><年度>年度政府信息公开工作年度报告”）')
  .option('--year <年度>', '报告年度（默认为成员报告共同的年度）')
  .option('--draft', '即使有成员报告无法读取、年度不符、重复或有错误也生成，并列出未计入和有错误的成员')
  .option('--previous <上年汇总.json>', '上一年度的汇总报告，对汇总数字做跨年度核对（上年结转、现行有效件数）')
  .option('--fonts <字体配置.json>', '自定义字体配置（用于检查每个字是否有字形）')
  .action(async (paths: string[], opts: SumFlags) => {
    const { planSum, memberLabel } = await import('../sum/run.js');
    const { MIN_YEAR } = await import('../model/schema.js');
    if (!opts.agency.trim()) throw argError('机关名称不能为空');
    let year: number | undefined;
    if (opts.year !== undefined) {
      year = Number(opts.year);
      const max = new Date().getFullYear() + 1;
      if (!/^\d{4}$/.test(opts.year) || year < MIN_YEAR || year > max)
        throw argError(`报告年度应为 ${MIN_YEAR} 至 ${max} 之间的四位数字，实际为 "${opts.year}"`);
    }
    // Before any work: the summary and the workbook are new files or regular ones, neither a member
    // nor last year's summary nor each other.
    const { collectMemberFiles } = await import('../sum/members.js');
    checkOutputs(
      [...collectMemberFiles(paths), ...(opts.previous ? [opts.previous] : [])],
      [{ file: opts.out, what: '汇总报告' }, ...(opts.xlsx ? [{ file: opts.xlsx, what: '工作簿' }] : [])],
    );
    const fonts = await fontConfig(opts.fonts);
    const plan = await planSum(paths, {
      agency: opts.agency,
      out: opts.out,
      xlsx: opts.xlsx,
      title: opts.title,
      year,
      draft: opts.draft,
      previous: opts.previous,
      fonts,
    });
    const err = (line: string) => process.stderr.write(`${line}\n`);
    let warnings = 0;
    for (const m of plan.members) {
      const label = memberLabel(m);
      if (m.status === 'included') {
        warnings += m.diagnostics.length;
        continue;
      }
      for (const d of m.diagnostics) err(formatDiagnostic(d, label));
      if (m.status !== 'included-with-errors') err(`${label}：未计入汇总——${m.reason}`);
    }
    for (const d of plan.summaryDiagnostics) err(formatDiagnostic(d, `汇总 ${opts.out}`));
    if (warnings) err(`成员报告另有 ${warnings} 条警告（未逐条列出${opts.xlsx ? '，见工作簿“核对”表' : '；可用 xxgk validate 查看'}）`);
    const left = plan.members.filter((m) => !m.status.startsWith('included'));
    const withErrors = plan.members.filter((m) => m.status === 'included-with-errors');
    if (!plan.json) {
      const bad = left.length + withErrors.length;
      err(
        `未生成汇总：${bad ? `${bad} 份成员报告有问题` : '汇总有错误'}（见上）。请改正后重新运行${plan.result ? '，或用 --draft 生成草稿' : ''}`,
      );
      process.exitCode = EXIT.rule;
      return;
    }
    // The summary and its workbook are committed together: both, or neither.
    const targets = writeTogether([
      { file: opts.out, bytes: plan.json },
      ...(plan.xlsx && opts.xlsx ? [{ file: opts.xlsx, bytes: plan.xlsx }] : []),
    ]);
    const short: Record<string, string> = {
      unreadable: '无法读取',
      'other-year': '年度不符',
      'other-format': '格式不符',
      duplicate: '机关重复',
    };
    if (left.length) err(`草稿：未计入 ${left.length} 份——${left.map((m) => `${memberLabel(m)}（${short[m.status]}）`).join('、')}`);
    if (withErrors.length) err(`草稿：计入但有错误 ${withErrors.length} 份——${withErrors.map(memberLabel).join('、')}`);
    const counted = plan.members.length - left.length;
    process.stdout.write(`汇总了 ${counted} 份报告 → ${targets.join('、')}${plan.ok ? '' : '（草稿）'}\n`);
    // A draft is written, and still fails: exit 1, as render --draft does.
    process.exitCode = plan.ok ? EXIT.ok : EXIT.rule;
  });

interface SumFlags {
  agency: string;
  out: string;
  xlsx?: string;
  title?: string;
  year?: string;
  draft?: boolean;
  previous?: string;
  fonts?: string;
}

/** One flag per writer (src/writers): --pdf, --docx, --html. */
/** `--name file|title`: outputs named after the input file (as before) or after the report's title, as the editor names its downloads. */
function nameOption(): Option {
  return new Option(
    '--name <命名>',
    '输出文件的命名：file 按输入文件名（如 2025.pdf）；title 按报告标题（如 某某县人民政府2025年度政府信息公开工作年度报告.pdf，与网页编辑器下载的文件同名）',
  )
    .choices(['file', 'title'])
    .default('file');
}

/** A title as a file name on every system: no path separators, reserved characters or control characters. */
const safeName = (title: string) =>
  title
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 120) || '年度报告';

/**
 * Each input's title-based output name: its `title`, or the format's default title from the agency
 * and year (the name the editor's downloads take). An input that cannot be read keeps its file
 * name: its job fails and names the problem.
 */
async function titleStems(): Promise<(file: string) => string> {
  const { formFor } = await import('../../layouts/index.js');
  const names = new Map<string, string>();
  return (file) => {
    let name = names.get(file);
    if (name === undefined) {
      name = outputStem(file);
      try {
        const report = JSON.parse(readFileSync(file, 'utf8')) as { title?: unknown; agency?: unknown; year?: unknown; format?: unknown };
        if (typeof report.title === 'string' && report.title.trim()) name = safeName(report.title.trim());
        else if (typeof report.agency === 'string' && report.agency.trim() && typeof report.year === 'number')
          name = safeName(
            formFor(typeof report.format === 'string' ? report.format : undefined).defaultTitle(report.agency.trim(), report.year),
          );
      } catch {
        // Unreadable or not JSON: the file name.
      }
      names.set(file, name);
    }
    return name;
  };
}

/** The first two inputs whose outputs would have one name (and overwrite each other), if any. */
function clashing(files: readonly string[], stemOf: (file: string) => string): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const f of files) {
    // Lower case: on Windows and macOS Report.pdf and report.pdf are one file.
    const stem = stemOf(f).toLowerCase();
    const first = seen.get(stem);
    if (first !== undefined) return [first, f];
    seen.set(stem, f);
  }
  return undefined;
}

/** A job's outputs (`<file stem>.pdf` …) under the chosen name. */
function renamed<T extends { name: string }>(outputs: T[], file: string, stemOf: (file: string) => string): T[] {
  const from = outputStem(file);
  const to = stemOf(file);
  return from === to ? outputs : outputs.map((o) => ({ ...o, name: o.name.startsWith(from) ? to + o.name.slice(from.length) : o.name }));
}

function withFormatFlags(command: Command): Command {
  const flags = WRITERS.map((w) => `--${w.id}`).join('、');
  const defaults = WRITERS.filter((w) => w.byDefault)
    .map((w) => w.id.toUpperCase())
    .join(' 和 ');
  for (const [i, w] of WRITERS.entries())
    command.option(
      `--${w.id}`,
      i === 0 ? `${w.description}（${flags} 可以同时使用，只生成所写的几种；都不写时生成 ${defaults}）` : w.description,
    );
  return command;
}

/** The formats the flags ask for: those given, or the default ones (PDF and DOCX) when none is. */
const formatsOf = (opts: Record<string, unknown>): string[] => chosenFormats(WRITER_IDS.filter((id) => opts[id] === true));

program
  .command('review')
  .description(
    '审核：核对本地区各单位的年度报告——勾稽关系、文字与表格是否一致、与上年文字重复、单位之间文字相同、内容缺失、数字异常、未报送和逾期；写出 review.html（供阅读和打印）、review.xlsx 和 review.json',
  )
  .argument('<路径...>', '本年度各单位的报告（JSON、DOCX、PDF、HTML），或含有这些文件的文件夹')
  .requiredOption('-o, --out <文件夹>', '审核结果的输出文件夹')
  .option(
    '--previous <路径>',
    '上一年度各单位的报告，或含有这些报告的文件夹（可重复使用）；按机关名称与本年报告对应，用于跨年度核对和文字重复检查',
    (value: string, list: string[] = []) => [...list, value],
  )
  .option('--roster <名单>', '应报送的单位名单：文本文件每行一个单位，或 CSV/XLSX 中的“单位名称”列；名单中没有报告的单位列为“未报送”')
  .option('--deadline <日期>', '发布截止日期，如 2025-01-31（默认为报告年度次年 1 月 31 日）')
  .option('--repeat <比例>', '与上年文字重复比例的上限（0–1）', '0.5')
  .option('--json', '把全部问题以 JSON 数组输出到屏幕（每项含 unit、file、code、severity、message 等）')
  .action(
    async (
      paths: string[],
      opts: { out: string; previous?: string[]; roster?: string; deadline?: string; repeat: string; json?: boolean },
    ) => {
      const { runReview, reviewFailed } = await import('../app/review/run.js');
      const [{ collectInputs }, { READER_EXTENSIONS }, { isUrl }] = await Promise.all([
        import('../app/inputs.js'),
        import('../readers/index.js'),
        import('../app/fetch.js'),
      ]);
      // URLs are not files: only the local inputs can clash with an output.
      checkOutputs(
        collectInputs(
          [...paths, ...(opts.previous ?? [])].filter((p) => !isUrl(p)),
          { extensions: READER_EXTENSIONS },
        ),
        ['review.json', 'review.xlsx', 'review.html'].map((name) => ({ file: join(opts.out, name), what: '审核结果' })),
      );
      const repeat = Number(opts.repeat);
      if (!/^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/.test(opts.repeat.trim()) || !(repeat > 0 && repeat < 1))
        throw argError(`--repeat 应为 0 与 1 之间的小数（如 0.5 表示 50%），实际为 "${opts.repeat}"`);
      const tty = process.stderr.isTTY;
      const result = await runReview(paths, {
        out: opts.out,
        previous: opts.previous,
        roster: opts.roster,
        deadline: opts.deadline,
        repeatThreshold: repeat,
        progress: (done, total, file) => {
          if (tty) process.stderr.write(`\r\x1b[K读取报告 ${done}/${total}：${shown(file)}`);
          if (tty && done === total) process.stderr.write('\n');
        },
      });
      if (opts.json) process.stdout.write(`${shownJson(JSON.stringify(result.findings, null, 2))}\n`);
      const count = (s: string) => result.units.filter((u) => u.status === s).length;
      const errors = result.findings.filter((f) => f.severity === 'error').length;
      const warnings = result.findings.length - errors;
      const line =
        `审核了 ${result.units.length - count('missing')} 份报告：错误 ${errors} 个，提示 ${warnings} 个` +
        `${count('missing') ? `；未报送 ${count('missing')} 个单位` : ''}${count('unreadable') ? `；无法读取 ${count('unreadable')} 份` : ''}` +
        ` → ${result.written.join('、')}`;
      (opts.json ? process.stderr : process.stdout).write(`${shown(line)}\n`);
      process.exitCode = reviewFailed(result) ? EXIT.rule : EXIT.ok;
    },
  );

program
  .command('serve')
  .description('启动网页编辑器和 HTTP 接口：在浏览器中填写三张表，随时核对勾稽关系，下载 PDF 和 DOCX')
  .option('--port <端口>', '端口；0 表示自动选择一个空闲端口', '8040')
  .option('--host <地址>', '监听的地址；默认只允许本机访问，要让其他电脑访问可用 0.0.0.0', '127.0.0.1')
  .option('--data <文件夹>', '多单位报送：数据保存在这个文件夹中的内置数据库里（不存在则新建）')
  .option('--database <postgres://…>', '多单位报送：数据保存在 PostgreSQL 数据库中（可多个服务进程共用）')
  .action(async (opts: { port: string; host: string; data?: string; database?: string }) => {
    const port = Number(opts.port);
    if (!/^\d+$/.test(opts.port) || port > 65535) throw argError(`--port 应为 0 至 65535 之间的整数，实际为 "${opts.port}"`);
    const store = await openCollection(opts, false);
    await tierUpForRendering();
    const { startServer } = await import('../serve/index.js');
    let server;
    try {
      server = await startServer({ port, host: opts.host, ...(store ? { collection: { store, summarize: await summariser() } } : {}) });
    } catch (e) {
      await store?.close();
      const code = (e as NodeJS.ErrnoException).code;
      const why: Record<string, string> = {
        EADDRINUSE: `端口 ${port} 已被占用，请用 --port 换一个端口`,
        EACCES: `没有权限使用端口 ${port}，请换一个大于 1024 的端口`,
        EADDRNOTAVAIL: `本机没有地址 ${opts.host}`,
        ENOTFOUND: `无法解析地址 ${opts.host}`,
      };
      if (code && why[code]) throw new ReportError('input', [{ code: 'SERVE', severity: 'error', path: '$', message: why[code]! }]);
      throw e;
    }
    activeServer = store ? { close: async (grace) => (await server.close(grace), await store.close()) } : server;
    if (!server.editor) process.stderr.write('注意：网页编辑器尚未构建（npm run build），目前只能使用 HTTP 接口\n');
    if (store && (await store.users()).length === 0)
      process.stderr.write(
        `注意：还没有任何账号。请先用 xxgk users add ${opts.data ? `--data ${opts.data}` : '--database …'} --login admin --role admin 创建管理员\n`,
      );
    process.stdout.write(`xxgk serve 已启动，请在浏览器中打开 ${server.url}\n按 Ctrl-C 停止\n`);
  });

/** The collection's 汇总: `xxgk sum`'s summary report and workbook over the approved reports. */
async function summariser(): Promise<import('../serve/collection/publish.js').Summariser> {
  const { sumReports, writeWorkbook } = await import('../sum/index.js');
  return async (members, { agency, year }) => {
    const result = sumReports(
      members.map((m) => ({ report: m.report, file: m.unit })),
      { agency, year },
    );
    const title = `${agency}${year}年度政府信息公开工作年度报告汇总`;
    const xlsx = await writeWorkbook(
      members.map((m) => ({ name: m.unit, report: m.report, diagnostics: [], included: true })),
      { title, command: 'xxgk serve', year, summary: { name: '汇总', agency, diagnostics: result.diagnostics } },
    );
    return { report: result.report, diagnostics: result.diagnostics, xlsx };
  };
}

/** The collection's store from --data or --database (exactly one when `required`). */
async function openCollection(opts: { data?: string; database?: string }, required: boolean) {
  if (opts.data && opts.database) throw argError('--data 和 --database 只能选一个');
  if (!opts.data && !opts.database) {
    if (required) throw argError('请用 --data <文件夹>（内置数据库）或 --database <postgres://…>（PostgreSQL）指定数据位置');
    return undefined;
  }
  if (opts.database && !/^postgres(?:ql)?:\/\//u.test(opts.database))
    throw argError('--database 应为 postgres://用户@主机:端口/数据库 形式的地址');
  const { openStore } = await import('../store/index.js');
  try {
    return await openStore(opts.data ? { data: opts.data } : { database: opts.database! });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ReportError('input', [
      {
        code: 'STORE',
        severity: 'error',
        path: '$',
        // A connection string may carry a password: never repeat it.
        message: opts.data
          ? `无法打开数据文件夹 ${opts.data}：${message}`
          : `无法连接 PostgreSQL 数据库：${message.replace(/postgres(?:ql)?:\/\/\S+/gu, 'postgres://…')}`,
      },
    ]);
  }
}

const users = program.command('users').description('多单位报送：管理账号');
users
  .command('add')
  .description('新建账号，并显示一次性密码（首次登录时必须修改）')
  .requiredOption('--login <登录名>', '登录名（英文字母、数字和 . _ @ -）')
  .addOption(
    new Option('--role <角色>', 'clerk 填报人员；reviewer 审核人员；admin 管理员')
      .choices(['clerk', 'reviewer', 'admin'])
      .makeOptionMandatory(),
  )
  .option('--unit <单位名称>', '所属单位（填报人员、审核人员必填）')
  .option('--name <姓名>', '显示的姓名')
  .option('--data <文件夹>', '内置数据库所在的文件夹')
  .option('--database <postgres://…>', 'PostgreSQL 数据库')
  .action(
    async (opts: {
      login: string;
      role: 'clerk' | 'reviewer' | 'admin';
      unit?: string;
      name?: string;
      data?: string;
      database?: string;
    }) => {
      const store = (await openCollection(opts, true))!;
      try {
        const { user, password } = await store.addUser(
          {
            login: opts.login,
            role: opts.role,
            ...(opts.unit ? { unit: opts.unit } : {}),
            ...(opts.name ? { displayName: opts.name } : {}),
          },
          null,
        );
        process.stdout.write(`已创建账号 ${user.login}\n一次性密码：${password}\n（只显示这一次；首次登录时必须修改）\n`);
      } catch (e) {
        const { StoreError } = await import('../store/index.js');
        if (e instanceof StoreError) throw new ReportError('input', [{ code: 'USERS', severity: 'error', path: '$', message: e.message }]);
        throw e;
      } finally {
        await store.close();
      }
    },
  );

program
  .command('backup')
  .description('多单位报送：把全部数据（单位、账号、报告及各版本、意见、操作记录）备份到一个文件')
  .requiredOption('-o, --out <文件>', '备份文件')
  .option('--data <文件夹>', '内置数据库所在的文件夹')
  .option('--database <postgres://…>', 'PostgreSQL 数据库')
  .action(async (opts: { out: string; data?: string; database?: string }) => {
    const store = (await openCollection(opts, true))!;
    try {
      const { exportCollection } = await import('../store/index.js');
      const backup = await exportCollection(store.db);
      const bytes = new TextEncoder().encode(`${JSON.stringify(backup)}\n`);
      ensureDir(dirname(opts.out));
      writeAtomic(dirname(opts.out), basename(opts.out), bytes);
      (await import('node:fs')).chmodSync(opts.out, 0o600);
      const counts = Object.entries(backup.tables)
        .map(([t, rows]) => `${t} ${rows.length}`)
        .join('，');
      process.stdout.write(`已备份到 ${opts.out}（${counts}）\n`);
    } finally {
      await store.close();
    }
  });

program
  .command('restore')
  .description('多单位报送：把备份文件恢复到一个新的（空的）数据文件夹或数据库')
  .argument('<备份文件>', 'xxgk backup 写出的文件')
  .option('--data <文件夹>', '新的内置数据库文件夹（须不存在或为空）')
  .option('--database <postgres://…>', '新的（空的）PostgreSQL 数据库')
  .action(async (file: string, opts: { data?: string; database?: string }) => {
    const { readFileSync, existsSync, readdirSync } = await import('node:fs');
    if (opts.data && existsSync(opts.data) && readdirSync(opts.data).length)
      throw argError(`数据文件夹 ${opts.data} 不是空的：请恢复到一个新的文件夹`);
    let backup;
    try {
      backup = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw argError(`无法读取备份文件 ${file}：不是 xxgk backup 写出的文件`);
    }
    if (backup?.format !== 'xxgk-collection-backup') throw argError(`${file} 不是 xxgk backup 写出的备份文件`);
    const store = (await openCollection(opts, true))!;
    try {
      const { importCollection } = await import('../store/index.js');
      try {
        await importCollection(store.db, backup);
      } catch (e) {
        throw argError(
          `无法恢复：${e instanceof Error && /not empty/u.test(e.message) ? '目标数据库不是空的' : e instanceof Error ? e.message : String(e)}`,
        );
      }
      process.stdout.write(`已从 ${file} 恢复\n`);
    } finally {
      await store.close();
    }
  });

interface BatchFlags extends Record<string, unknown> {
  out: string;
  name: 'file' | 'title';
  jobs?: string;
  pdfa?: boolean;
  docxFonts: DocxFontMode;
  fonts?: string;
  xlsx?: string;
}

let activeBatch: AbortController | undefined;
let activeServer: { close(graceMs?: number): Promise<void> } | undefined;
let stopping = false;

interface RenderFlags extends Record<string, unknown> {
  out: string;
  name: 'file' | 'title';
  docxFonts: DocxFontMode;
  draft?: boolean;
  pdfa?: boolean;
  previous?: string;
  fonts?: string;
}

/** commander's "option '--x <v>' argument 'foo' is invalid. Allowed choices are a, b." in Chinese. */
function choiceMessage(message: string): string | undefined {
  const m = /option '(\S+)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/.exec(message);
  return m ? `选项 ${m[1]} 的取值 "${clip(m[2]!)}" 无效，可选：${m[3]!.split(', ').join('、')}` : undefined;
}

const argError = (message: string) => new ReportError('input', [{ code: 'ARGS', severity: 'error', path: '$', message }]);

function fail(e: unknown): number {
  if (e instanceof ReportError) {
    for (const d of e.diagnostics) process.stderr.write(`${formatDiagnostic(d, e.file)}\n`);
    if (debug) process.stderr.write(`${e.stack}\n`);
    return exitCodeOf(e.kind);
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    const arg = clip(/'([^']+)'/.exec(e.message)?.[1] ?? '');
    const text: Record<string, string> = {
      'commander.missingArgument': `缺少参数 ${arg}`,
      'commander.optionMissingArgument': `选项 ${arg} 缺少取值`,
      'commander.missingMandatoryOptionValue': `缺少必需的选项 ${arg}`,
      'commander.unknownOption': `未知的选项 ${arg}`,
      'commander.unknownCommand': `未知的命令 ${arg}`,
      'commander.excessArguments': '参数过多',
      'commander.invalidArgument': choiceMessage(e.message) ?? `参数无效：${e.message.replace(/^error: /, '')}`,
      'commander.invalidOptionArgument': `选项取值无效：${e.message.replace(/^error: /, '')}`,
    };
    process.stderr.write(`${shown(text[e.code] ?? e.message)}（用 xxgk help 查看用法）\n`);
    return 2;
  }
  process.stderr.write(
    `内部错误：${shown(clip(e instanceof Error ? e.message : String(e), 500))}\n请使用 --debug 重新运行并把输出反馈给维护者。\n`,
  );
  if (debug) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  return 3;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    // The server stops accepting, lets the requests in flight finish (a second signal abandons them), exits 0.
    if (activeServer) {
      if (stopping) process.exit(0);
      stopping = true;
      process.stderr.write('正在停止：等待进行中的请求完成（再按一次 Ctrl-C 立即退出）\n');
      void activeServer.close().then(() => process.exit(0));
      return;
    }
    // A batch stops taking new reports and writes its report; finished files stay.
    if (activeBatch && !activeBatch.signal.aborted) {
      activeBatch.abort();
      return;
    }
    removePending();
    process.stderr.write('已中断：已完成的文件保留，未完成的临时文件已删除\n');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });

// A reader that goes away (`xxgk validate … | head`) is not an error of ours: stop quietly, as
// command-line tools do, with the exit code the work had so far.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    removePending();
    process.exit(process.exitCode ?? 0);
  });

try {
  debug = process.argv.includes('--debug');
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = fail(e);
}
