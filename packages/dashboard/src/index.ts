/**
 * @prodcon/dashboard: a live view of a prodcon process in the browser, served
 * from that process (`startDashboard()`), or around a script
 * (`npx prodcon-dashboard script.mjs`).
 */
export { startDashboard, type Dashboard } from './server.js';
export type { DashboardOptions } from './options.js';
export { DashboardError } from './errors.js';
export type { DashboardState, WorkerView, QueueView, PoolView, PipelineView } from './state.js';
export type { Command } from './commands.js';
export type { ResultPoint } from './result-watch.js';
