import { Filter, flat, type ActionContext, type ActionRequest, type ActionResponse, type ResourceWithOptions } from 'adminjs';
import type { Response } from 'express';
import { Op, type Model, type WhereOptions } from 'sequelize';
import { adminContext } from '../src/admin/context.js';
import { Components } from '../src/admin/component-loader.js';
import { whereFor } from '../src/admin/filters.js';
import type { LoopinResource } from '../src/admin/resource.js';
import { NAV, choices, jsonShow, newestFirst, readOnlyActions, type ResourceList, withOptions } from '../src/admin/resource-options.js';
import { toAppError } from '../src/http/problem.js';
import { CURRENCIES, LEDGER_KINDS, LedgerEntry, PAYOUT_STATUSES, Payout, PayoutAccount } from '../src/models/index.js';
import { createAdjustment } from '../src/modules/money/commands/adjustments.js';
import {
  approvePayout, completePayout, createPayout, failPayout, markPayoutProcessing,
} from '../src/modules/money/commands/payouts.js';
import { CSV_BATCH, writeCsv } from '../src/modules/money/csv.js';
import { settlementReport } from '../src/modules/money/settlement.js';
import { commandAction, type CommandActionOptions } from './actions/define.js';
import { reauthAction } from './actions/reauth.js';
import type { Context } from '../src/context.js';
import { logger } from '../src/lib/logger.js';

/**
 * Host money in the panel. The ledger and payouts are never edited as rows: payouts move through
 * their commands (approval and completion behind re-authentication), balances are corrected by
 * adjustment entries. Payout accounts show the last four digits only; the ciphertext columns are
 * secrets (never read into the panel). Lists export as streamed CSV for their current filter.
 */
const currencyField = { name: 'currency', label: 'Currency', type: 'select' as const, required: true, options: CURRENCIES.map((c) => ({ value: c, label: c })) };
const open = (params: Record<string, unknown>) => ['pending', 'approved', 'processing'].includes(String(params.status));

export const moneyResources: ResourceList = (make) => [
  withOptions(make(LedgerEntry, { immutable: true }), {
    navigation: NAV.money,
    sort: newestFirst,
    listProperties: ['id', 'host_id', 'kind', 'amount', 'currency', 'event_id', 'payment_order_id', 'payout_id', 'created_at'],
    filterProperties: ['host_id', 'kind', 'event_id', 'payment_order_id', 'payout_id'],
    properties: { uuid: { isTitle: true }, kind: choices(LEDGER_KINDS), currency: choices(CURRENCIES), reason: jsonShow },
    actions: {
      ...readOnlyActions,
      exportCsv: exportCsvAction(),
      settlement: settlementAction(),
      adjustBalance: resourceCommand({
        label: 'Adjust a balance', icon: 'Edit', confirm: 'Book an adjustment entry (+ credits the host, − debits). It cannot be edited later.',
        fields: [
          { name: 'host', label: 'Host (id or uuid)', required: true }, currencyField,
          { name: 'amount', label: 'Amount, signed (e.g. -25.00)', required: true },
          { name: 'event', label: 'Event (uuid or slug, optional)' },
          { name: 'reason', label: 'Reason', type: 'textarea', required: true },
        ],
        run: async (ctx, _p, f) => {
          const e = await createAdjustment(ctx, { host: f.host ?? '', currency: f.currency ?? '', amount: f.amount ?? '', reason: f.reason ?? '', event: f.event || null });
          return `Adjustment of ${e.amount} ${e.currency} booked`;
        },
      }),
    },
  }),
  withOptions(make(Payout, { immutable: true }), {
    navigation: NAV.money,
    sort: newestFirst,
    listProperties: ['id', 'host_id', 'amount', 'currency', 'status', 'reference', 'created_at', 'completed_at'],
    filterProperties: ['host_id', 'status'],
    properties: { uuid: { isTitle: true }, status: choices(PAYOUT_STATUSES), currency: choices(CURRENCIES), failure_reason: jsonShow },
    actions: {
      ...readOnlyActions,
      exportCsv: exportCsvAction(),
      createPayout: resourceCommand({
        label: 'Create payout', icon: 'Plus', confirm: 'Pay out everything available to this host in this currency.',
        fields: [{ name: 'host', label: 'Host (id or uuid)', required: true }, currencyField],
        run: async (ctx, _p, f) => {
          const p = await createPayout(ctx, { host: f.host ?? '', currency: f.currency ?? '' });
          return `Payout of ${p.amount} ${p.currency} created`;
        },
      }),
      approvePayout: reauthAction({
        label: 'Approve', icon: 'Check', purpose: 'approve a payout', isVisible: (p) => p.status === 'pending',
        run: async (ctx, p) => `Payout ${(await approvePayout(ctx, String(p.uuid))).status}`,
      }),
      markProcessing: commandAction({
        label: 'Mark sent (processing)', icon: 'Send', isVisible: (p) => p.status === 'approved',
        fields: [{ name: 'reference', label: 'Bank reference (UTR)' }],
        run: async (ctx, p, f) => `Payout ${(await markPayoutProcessing(ctx, String(p.uuid), { reference: f.reference })).status}`,
      }),
      completePayout: reauthAction({
        label: 'Mark completed', icon: 'CheckCircle', purpose: 'mark a payout completed', isVisible: (p) => p.status === 'processing',
        fields: [{ name: 'reference', label: 'Bank reference (UTR)' }],
        run: async (ctx, p, f) => `Payout ${(await completePayout(ctx, String(p.uuid), { reference: f.reference })).status}`,
      }),
      failPayout: commandAction({
        label: 'Mark failed', icon: 'XCircle', variant: 'danger', isVisible: open,
        confirm: 'The payout\'s money goes back to the host\'s available balance.',
        fields: [{ name: 'reason', label: 'Why it failed', type: 'textarea', required: true }],
        run: async (ctx, p, f) => `Payout ${(await failPayout(ctx, String(p.uuid), { reason: f.reason ?? '' })).status}`,
      }),
    },
  }),
  withOptions(make(PayoutAccount, {
    immutable: true, secrets: ['account_number_ciphertext', 'account_number_nonce', 'account_number_tag'],
  }), {
    navigation: NAV.money,
    sort: newestFirst,
    listProperties: ['id', 'user_id', 'account_holder', 'account_number_last4', 'ifsc', 'key_id', 'updated_at'],
    filterProperties: ['user_id', 'key_id'],
    properties: { account_holder: { isTitle: true } },
    actions: readOnlyActions,
  }),
];

/** A resource-level command (no record): the same POST-only ConfirmCommand form. */
function resourceCommand(o: CommandActionOptions) {
  return {
    ...commandAction(o),
    actionType: 'resource' as const,
    isVisible: true,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      if (request.method !== 'post') return {};
      const payload = Object.fromEntries(Object.entries(request.payload ?? {}).map(([k, v]) => [k, String(v ?? '')]));
      try {
        return { notice: { message: await o.run(adminContext(context.currentAdmin, request), {}, payload), type: 'success' } };
      } catch (err) {
        const known = toAppError(err);
        if (!known) throw err;
        return { notice: { message: known.message, type: 'error' } };
      }
    },
  };
}

function settlementAction() {
  return {
    actionType: 'resource' as const,
    label: 'Settlement report',
    icon: 'BarChart',
    component: Components.Settlement,
    handler: async (request: ActionRequest): Promise<ActionResponse> => {
      const q = (request.query ?? {}) as Record<string, string>;
      const id = (v: string | undefined) => (v && /^\d{1,18}$/.test(v) ? Number(v) : undefined);
      return { settlement: await settlementReport({ hostId: id(q.host_id), eventId: id(q.event_id) }) } as ActionResponse;
    },
  };
}

/**
 * "Export CSV" for the list's current filter. The drawer (ExportCsv) links back to this action
 * with `download=1`: that GET streams every matching row in keyset batches through csv-stringify
 * straight into the HTTP response (AdminJS hands handlers the Express response), so the export never
 * sits in memory. Secret columns are never selected.
 */
export function exportCsvAction() {
  return {
    actionType: 'resource' as const,
    label: 'Export CSV',
    icon: 'Download',
    showInDrawer: true,
    component: Components.ExportCsv,
    handler: async (request: ActionRequest, response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      if (request.method !== 'get' || query.download !== '1') return {};
      const resource = context.resource as LoopinResource;
      const res = response as Response;
      const where = whereFor(resource, new Filter((flat.unflatten(query) as { filters?: Record<string, unknown> }).filters ?? {}, resource));
      const columns = resource.properties().map((p) => p.name()).filter((n) => resource.model.getAttributes()[n]);
      res.status(200).type('text/csv; charset=utf-8').attachment(`${resource.id()}.csv`);
      logExport(adminContext(context.currentAdmin, request), resource.id(), where);
      try {
        await writeCsv(res, columns.map((c) => ({ header: c, value: (r: Record<string, unknown>) => r[c] })),
          rowsOf(resource, columns, where));
      } catch (err) {
        logger.error({ err }, 'panel CSV export failed mid-stream');
        res.destroy(err as Error);
      }
      return undefined as unknown as ActionResponse;
    },
  };
}

async function* rowsOf(resource: LoopinResource, columns: string[], where: WhereOptions): AsyncGenerator<Record<string, unknown>> {
  for (let after = 0; ;) {
    const rows = await resource.model.findAll({
      where: { [Op.and]: [where, { id: { [Op.gt]: after } }] }, attributes: columns, order: [['id', 'ASC']], limit: CSV_BATCH, raw: true,
    }) as unknown as (Record<string, unknown> & Model)[];
    for (const row of rows) yield row;
    if (rows.length < CSV_BATCH) return;
    after = Number(rows[rows.length - 1]!.id);
  }
}

function logExport(ctx: Context, resource: string, where: WhereOptions) {
  logger.info({ staff: ctx.actor?.id, resource, filtered: Reflect.ownKeys(where).length > 0 }, 'panel CSV export');
}

/** Lists of other domains that get the same "Export CSV" (attendees, orders). */
const EXPORTED = new Set(['event_attendee', 'payment_order', 'ledger_entry', 'payout']);
export function withCsvExport(r: ResourceWithOptions): ResourceWithOptions {
  if (!EXPORTED.has(r.resource.id()) || (r.options.actions as Record<string, unknown> | undefined)?.exportCsv) return r;
  return { ...r, options: { ...r.options, actions: { ...r.options.actions, exportCsv: exportCsvAction() } } };
}
