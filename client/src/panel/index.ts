export { ReportPanel, registerReportPanelSerializer, type ReportPanelOptions } from './reportPanel';
export { exportReportHtml, exportReportJson, saveReportAs } from './exportReport';
export { applyRecommendationFix, findDiagnostic, goToSource, pickCodeAction, resolveSourceUri, type ApplyFixResult } from './actions';
export { isReportLike, parseWebviewMessage, reportFromState, type WebviewMessage } from './messages';
