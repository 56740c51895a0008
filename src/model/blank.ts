/** A complete blank report for a clerk to fill in (`xxgk init`). */
import type { ReportInput } from './schema.js';

const row = () => ({ naturalPerson: 0, commercial: 0, research: 0, publicInterest: 0, legalService: 0, other: 0, total: 0 });
const outcome = () => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });
const rows = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, row()])) as Record<K, ReturnType<typeof row>>;

export function blankReport(agency: string, year: number): ReportInput {
  return {
    format: 'gov-2021',
    agency,
    year,
    preface: [
      `本报告由${agency}按照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）要求编制。`,
      `本报告所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`,
    ],
    overview: {
      intro: [],
      sections: ['主动公开', '依申请公开', '政府信息管理', '政府信息公开平台建设', '监督保障'].map((heading) => ({
        heading,
        paragraphs: [],
      })),
    },
    proactive: {
      regulations: { issued: 0, repealed: 0, inForce: 0 },
      normativeDocuments: { issued: 0, repealed: 0, inForce: 0 },
      licensing: 0,
      punishment: 0,
      enforcement: 0,
      fees: '0',
    },
    applications: {
      received: row(),
      carriedOver: row(),
      granted: row(),
      partiallyGranted: row(),
      denied: rows([
        'stateSecret',
        'prohibitedByLaw',
        'threeSecurityOneStability',
        'thirdPartyRights',
        'internalAffairs',
        'processInformation',
        'lawEnforcementFiles',
        'administrativeQuery',
      ] as const),
      unableToProvide: rows(['notHeld', 'needsCreation', 'unclearAfterCorrection'] as const),
      notProcessed: rows(['petitionOrComplaint', 'duplicate', 'publication', 'excessive', 'confirmation'] as const),
      otherHandling: rows(['noCorrection', 'feeUnpaid', 'other'] as const),
      total: row(),
      carriedForward: row(),
    },
    reviewsAndLawsuits: { review: outcome(), lawsuitDirect: outcome(), lawsuitAfterReview: outcome() },
    problems: [],
    other: [
      { heading: '依据《政府信息公开信息处理费管理办法》收取信息处理费的情况', paragraphs: [`${year}年度，本机关未收取信息处理费。`] },
    ],
  };
}
