import type { ContractRouter } from '../http/contract-router.js';
import { householdDashboard, type DashboardDeps } from './dashboard.js';

/** `GET /api/dashboard` (owners and members): the household at a glance (`householdDashboard`). */
export function dashboardRoutes(api: ContractRouter, deps: DashboardDeps): void {
  api.handle('GET /api/dashboard', async ({ principal, query, reply }, _req, res) => {
    res.set('Cache-Control', 'no-store');
    reply(200, await householdDashboard(deps, principal.householdId, query.dayStartMs));
  });
}
