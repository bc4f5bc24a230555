/**
 * The statistics live in lib/stats.ts; this path stays because graph/run.ts (owned elsewhere)
 * still imports it. Remove once graph imports ../lib/stats.js.
 */
export { type Summary, summarize } from '../lib/stats.js';
