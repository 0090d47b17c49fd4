import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The one AdminJS component loader; every custom component is registered here. */
export const componentLoader = new ComponentLoader();

export const Components = {
  /** Confirmation form for actions that change data: it POSTs, so a GET never changes anything (password fields masked, for re-authentication). */
  ConfirmCommand: componentLoader.add('ConfirmCommand', path.join(here, 'components/ConfirmCommand')),
  /** The staff dashboard (numbers from src/admin/dashboard.ts, SVG charts). */
  Dashboard: componentLoader.add('Dashboard', path.join(here, 'components/Dashboard')),
  /** Edit field rendered for superusers only (privilege flags, passwords). */
  SuperuserField: componentLoader.add('SuperuserField', path.join(here, 'components/SuperuserField')),
  /** "Export CSV" of a list's current filter: a download link to the streamed export (resources/money.resource.ts). */
  ExportCsv: componentLoader.add('ExportCsv', path.join(here, 'components/ExportCsv')),
  /** Image-URL field in forms: thumbnails, Remove, and an upload through the panel's upload door. */
  ImageField: componentLoader.add('ImageField', path.join(here, 'components/ImageField')),
  /** Thumbnails of image URLs in lists and on record pages. */
  ImageThumbs: componentLoader.add('ImageThumbs', path.join(here, 'components/ImageThumbs')),
  /** Per-event settlement report (gross, refunds, fees, net, paid out). */
  Settlement: componentLoader.add('Settlement', path.join(here, 'components/Settlement')),
};
