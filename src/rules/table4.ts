/** R4: Table 4 (四、政府信息公开行政复议、行政诉讼情况), each block's 总计. */
import { outcomeSum } from '../model/resolve.js';
import type { Diagnostic } from '../diagnostics.js';
import type { Rule } from './rule.js';

const BLOCKS = {
  review: '行政复议',
  lawsuitDirect: '行政诉讼 未经复议直接起诉',
  lawsuitAfterReview: '行政诉讼 复议后起诉',
} as const;

export const r4OutcomeTotal: Rule = {
  code: 'R4',
  description: '表四 每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结',
  check({ report }) {
    return (Object.keys(BLOCKS) as (keyof typeof BLOCKS)[]).flatMap((key): Diagnostic[] => {
      const o = report.reviewsAndLawsuits[key];
      if (o.total === undefined || o.total === outcomeSum(o)) return [];
      return [
        {
          code: 'R4',
          severity: 'error',
          path: `reviewsAndLawsuits.${key}.total`,
          message:
            `表四 ${BLOCKS[key]}：总计 ${o.total} ≠ 结果维持、结果纠正、其他结果、尚未审结之和 ${outcomeSum(o)}` +
            `（${o.upheld} + ${o.corrected} + ${o.other} + ${o.pending}）`,
        },
      ];
    });
  },
};
