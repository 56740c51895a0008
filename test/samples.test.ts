import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../src/app/check.js';
import { ROOT, runCli } from './helpers/reports.js';

const samples = readdirSync(`${ROOT}samples`).filter((f) => f.endsWith('.json'));

describe('samples', () => {
  it.each(samples)('%s validates without errors', async (file) => {
    const { diagnostics } = await checkFile(`${ROOT}samples/${file}`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('huaian-2024 agrees with huaian-2023 across years, with no warning', async () => {
    const { diagnostics } = await checkFile(`${ROOT}samples/huaian-2024.json`, { previous: `${ROOT}samples/huaian-2023.json` });
    expect(diagnostics).toEqual([]);
  });

  it('the invalid sample fails R1 on the 自然人 column with both sums', () => {
    const r = runCli(['validate', 'samples/invalid/huaian-2024-r1.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('错误 [R1] 表三 自然人 列：第一项加第二项之和 376 ≠ 第三项加第四项之和 375');
  });
});
