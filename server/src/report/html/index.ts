export { renderReportHtml, renderMessageHtml, contentSecurityPolicy, type RenderOptions } from './renderReportHtml';
export { escapeHtml, jsonForScript } from './escape';
export { assignLanes, opClass, renderWaterfall, WATERFALL } from './waterfall';
export { LIMITS, costliestNode } from './sections';
