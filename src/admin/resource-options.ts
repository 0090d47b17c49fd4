import type { BaseResource, ResourceOptions, ResourceWithOptions } from 'adminjs';
import type { Model, ModelStatic } from 'sequelize';
import { Components } from './component-loader.js';
import { LoopinResource, type ResourceRules } from './resource.js';
import { PANEL_UPLOAD_PATH } from './uploads.js';

/** Where the panel is mounted. */
export const ADMIN_ROOT = '/admin';

/**
 * Builds the adapter resource for a model. mountAdmin passes LoopinResource; the list benchmark
 * passes the stock adapter to compare against.
 */
export type MakeResource = (model: ModelStatic<Model>, rules?: ResourceRules) => BaseResource;

export const loopinResource: MakeResource = (model, rules) => new LoopinResource(model, rules);

/** Navigation groups, one per domain. */
export const NAV = {
  users: { name: 'Users', icon: 'User' },
  events: { name: 'Events', icon: 'Calendar' },
  attendance: { name: 'Attendance', icon: 'CheckSquare' },
  payments: { name: 'Payments', icon: 'CreditCard' },
  money: { name: 'Host money', icon: 'DollarSign' },
  notifications: { name: 'Notifications', icon: 'Bell' },
  audit: { name: 'Audit', icon: 'Shield' },
  media: { name: 'Media and webhooks', icon: 'Send' },
} as const;

/** A select of the model's allowed values (the models keep the lists; never re-typed here). */
export const choices = (values: readonly string[]) => ({ availableValues: values.map((v) => ({ value: v, label: v })) });

/** Shown in list/show/filter, never in a form. */
export const shownOnly = { isVisible: { list: true, show: true, filter: true, edit: false } };
/** Shown on the record page only. */
export const showOnly = { isVisible: { list: false, show: true, filter: false, edit: false } };
/** JSON blobs: on the record page, never in forms (the stock JSON editor would flatten them). */
export const jsonShow = showOnly;

/** No new, edit or delete at all: ledgers, audit, webhooks, holds. */
export const readOnlyActions: ResourceOptions['actions'] = {
  new: { isAccessible: false },
  edit: { isAccessible: false },
  delete: { isAccessible: false },
  bulkDelete: { isAccessible: false },
};

/** Money and attendance history: one record at a time, deliberately. */
export const noBulkDelete: ResourceOptions['actions'] = { bulkDelete: { isAccessible: false } };

/** A field only superusers see in forms (privilege flags, passwords); the server strips it too. */
export const superuserField = { components: { edit: Components.SuperuserField } };

/**
 * An image-URL property: thumbnails in list and show, and in forms the upload field (thumbnails,
 * Remove, a file input posting to the panel's upload door). `max` set: a list of at most that many
 * URLs; otherwise one URL, `fixed` once the record exists when its command never changes it.
 */
export const imageField = (o: { max?: number; fixed?: boolean } = {}) => ({
  components: { edit: Components.ImageField, show: Components.ImageThumbs, list: Components.ImageThumbs },
  custom: { uploadUrl: `${ADMIN_ROOT}${PANEL_UPLOAD_PATH}`, multiple: o.max !== undefined, max: o.max ?? 1, fixed: !!o.fixed },
  isSortable: false,
});

/** Newest first on an indexed column. */
export const newestFirst = { sortBy: 'id', direction: 'desc' as const };

export type ResourceList = (make: MakeResource) => ResourceWithOptions[];

/** One resource with its options (typed per element, so option objects are checked one by one). */
export const withOptions = (resource: BaseResource, options: ResourceOptions): ResourceWithOptions => ({ resource, options });
