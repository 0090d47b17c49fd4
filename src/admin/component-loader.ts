import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The one AdminJS component loader; every custom component is registered here. */
export const componentLoader = new ComponentLoader();

export const Components = {
  /** Confirmation form for actions that change data: it POSTs, so a GET never changes anything. */
  ConfirmCommand: componentLoader.add('ConfirmCommand', path.join(here, 'components/ConfirmCommand')),
  /** The staff dashboard (numbers from src/admin/dashboard.ts, SVG charts). */
  Dashboard: componentLoader.add('Dashboard', path.join(here, 'components/Dashboard')),
  /** Edit field rendered for superusers only (privilege flags, passwords). */
  SuperuserField: componentLoader.add('SuperuserField', path.join(here, 'components/SuperuserField')),
};
