import { ProdconError } from '@prodcon/core';

/**
 * The dashboard refused something: `ERR_DASHBOARD_OPTION` (bad options to
 * startDashboard, such as a non-loopback host without a token),
 * `ERR_DASHBOARD_COMMAND` (a command the page sent that names no live unit
 * or no action it has).
 */
export class DashboardError extends ProdconError {}
