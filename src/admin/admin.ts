import AdminJS, { type ResourceWithOptions } from 'adminjs';
import { clock } from '../lib/clock.js';
import { attendanceResources } from '../../resources/attendance.resource.js';
import { auditResources } from '../../resources/audit.resource.js';
import { eventsResources } from '../../resources/events.resource.js';
import { notificationsResources } from '../../resources/notifications.resource.js';
import { moneyResources, withCsvExport } from '../../resources/money.resource.js';
import { paymentsResources } from '../../resources/payments.resource.js';
import { usersResources } from '../../resources/users.resource.js';
import { webhooksResources } from '../../resources/webhooks.resource.js';
import { withAuditedWrites } from './audited-actions.js';
import { Components, componentLoader } from './component-loader.js';
import { dashboardData } from './dashboard.js';
import { ADMIN_ROOT, loopinResource, type MakeResource } from './resource-options.js';

/** Every resource of the panel, domain by domain, writing only through the domain commands. */
export function adminResources(make: MakeResource = loopinResource): ResourceWithOptions[] {
  return [usersResources, eventsResources, attendanceResources, paymentsResources, moneyResources, notificationsResources, auditResources, webhooksResources]
    .flatMap((group) => group(make))
    .map(withCsvExport)
    .map((r) => ({ ...r, options: { ...r.options, actions: withAuditedWrites(r.options.actions, r.resource) } }));
}

/** The AdminJS instance (no HTTP yet): resources, dashboard and branding. */
export function createAdmin(make: MakeResource = loopinResource): AdminJS {
  return new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    resources: adminResources(make),
    componentLoader,
    dashboard: {
      component: Components.Dashboard,
      handler: async () => dashboardData(clock.now()),
    },
    branding: { companyName: 'Loopin', withMadeWithLove: false, logo: false },
    settings: { defaultPerPage: 20 },
    locale: {
      language: 'en',
      translations: { en: { messages: { tooManyRequests: 'Too many failed sign-in attempts; try again later' } } },
    },
  });
}
