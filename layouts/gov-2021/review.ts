/**
 * What `xxgk review` compares in a report of this format: the cells a statement of the text is
 * compared with (by what its number counts: src/app/review/statements.ts), the counts compared with
 * last year's, and the groups of （七）总计 whose share is worth a second look.
 */
import type { ReviewSpec } from '../../src/form/spec.js';

export const review: ReviewSpec = {
  statements: {
    received: { cell: '表三 一、本年新收政府信息公开申请数量 / 总计', paths: ['applications.received'] },
    carriedOver: { cell: '表三 二、上年结转政府信息公开申请数量 / 总计', paths: ['applications.carriedOver'] },
    concluded: { cell: '表三 三、本年度办理结果 （七）总计 / 总计', paths: ['applications.total'] },
    carriedForward: { cell: '表三 四、结转下年度继续办理 / 总计', paths: ['applications.carriedForward'] },
    granted: { cell: '表三 （一）予以公开 / 总计', paths: ['applications.granted'] },
    partiallyGranted: { cell: '表三 （二）部分公开 / 总计', paths: ['applications.partiallyGranted'] },
    denied: { cell: '表三 （三）不予公开 1–8 项之和 / 总计', paths: ['applications.denied'] },
    unableToProvide: { cell: '表三 （四）无法提供 1–3 项之和 / 总计', paths: ['applications.unableToProvide'] },
    notProcessed: { cell: '表三 （五）不予处理 1–5 项之和 / 总计', paths: ['applications.notProcessed'] },
    otherHandling: { cell: '表三 （六）其他处理 1–3 项之和 / 总计', paths: ['applications.otherHandling'] },
    review: { cell: '表四 行政复议 / 总计', paths: ['reviewsAndLawsuits.review'] },
    lawsuit: {
      cell: '表四 行政诉讼 未经复议直接起诉 总计 + 复议后起诉 总计',
      paths: ['reviewsAndLawsuits.lawsuitDirect', 'reviewsAndLawsuits.lawsuitAfterReview'],
    },
    regulationsIssued: { cell: '表二 规章 / 本年制发件数', paths: ['proactive.regulations.issued'] },
    regulationsRepealed: { cell: '表二 规章 / 本年废止件数', paths: ['proactive.regulations.repealed'] },
    regulationsInForce: { cell: '表二 规章 / 现行有效件数', paths: ['proactive.regulations.inForce'] },
    normativeIssued: { cell: '表二 行政规范性文件 / 本年制发件数', paths: ['proactive.normativeDocuments.issued'] },
    normativeRepealed: { cell: '表二 行政规范性文件 / 本年废止件数', paths: ['proactive.normativeDocuments.repealed'] },
    normativeInForce: { cell: '表二 行政规范性文件 / 现行有效件数', paths: ['proactive.normativeDocuments.inForce'] },
  },
  counts: [
    { label: '表三 一、本年新收政府信息公开申请数量 总计', path: 'applications.received' },
    { label: '表三 （七）总计 总计', path: 'applications.total' },
    { label: '表二 行政许可 本年处理决定数量', path: 'proactive.licensing' },
    { label: '表二 行政处罚 本年处理决定数量', path: 'proactive.punishment' },
    { label: '表二 行政强制 本年处理决定数量', path: 'proactive.enforcement' },
    { label: '表二 行政规范性文件 本年制发件数', path: 'proactive.normativeDocuments.issued' },
    { label: '表四 行政复议 总计', path: 'reviewsAndLawsuits.review' },
  ],
  shares: {
    total: { table: '表三', label: '（七）总计', path: 'applications.total' },
    groups: [
      { label: '（六）其他处理', path: 'applications.otherHandling' },
      { label: '（三）不予公开', path: 'applications.denied' },
    ],
  },
};
