import { Router } from 'express';
import { config } from '../../config.js';
import { endpoint } from '../../http/endpoint.js';
import { toPage } from '../../http/pagination.js';
import type { PaymentOrder } from '../../models/index.js';
import {
  cancelOrder, getOrder, listMyOrders, markPaid, placeOrder, receiveWebhook, refundOrder,
} from './commands/index.js';
import { pendingRefundsOf } from './commands/orders.js';
import { presentOrder, presentRefund } from './presenter.js';
import { providerList, webhookAdapters } from './providers/index.js';
import {
  CreateOrderBody, MarkPaidBody, OrderListQuery, OrderOut, OrderPage, OrderParams, ProviderList, RefundBody, RefundOut, WebhookOut,
} from './schema.js';

export const router = Router();
const tags = ['Payments'];

async function present(order: PaymentOrder, now: Date) {
  const pending = await pendingRefundsOf([order.id]);
  return presentOrder(order, now, pending.get(order.id));
}

endpoint(router, {
  method: 'get', path: '/payments/providers', summary: 'Payment providers and whether each is enabled', tags, auth: 'none',
  response: ProviderList,
  handler: async () => providerList(config()),
});

endpoint(router, {
  method: 'post', path: '/payments/orders', tags, auth: 'required', status: 201, response: OrderOut, errors: [404, 409, 503],
  alsoStatus: { status: 200, description: 'The open order already placed for this hold (nothing new created)' },
  summary: 'Place an order for held seats (201; the same open order again for the same hold: 200). The server computes the amount.',
  body: CreateOrderBody,
  handler: async ({ body, ctx, res }) => {
    const { order, created } = await placeOrder(ctx, { eventRef: body.event, reservationKey: body.reservation_key, provider: body.provider });
    const out = await present(order, ctx.now());
    if (!created) {
      res.status(200).json(out);
      return undefined;
    }
    return out;
  },
});

endpoint(router, {
  method: 'get', path: '/payments/orders', summary: 'My orders, newest first', tags, auth: 'required',
  query: OrderListQuery, response: OrderPage,
  handler: async ({ query, ctx }) => {
    const page = await listMyOrders(ctx, { cursor: query.cursor, pageSize: query.page_size, status: query.status });
    const pending = await pendingRefundsOf(page.rows.map((o) => o.id));
    const now = ctx.now();
    return toPage(page.rows, page.size, (o) => presentOrder(o, now, pending.get(o.id)), page.cursorOf);
  },
});

endpoint(router, {
  method: 'get', path: '/payments/orders/{uuid}', summary: 'An order (buyer, host, staff)', tags, auth: 'required',
  params: OrderParams, response: OrderOut, errors: [404],
  handler: async ({ params, ctx }) => present(await getOrder(ctx, params.uuid), ctx.now()),
});

endpoint(router, {
  method: 'post', path: '/payments/orders/{uuid}/cancel', summary: 'Cancel my unpaid order (hold released)', tags, auth: 'required',
  params: OrderParams, response: OrderOut, errors: [404, 409],
  handler: async ({ params, ctx }) => present(await cancelOrder(ctx, params.uuid), ctx.now()),
});

endpoint(router, {
  method: 'post', path: '/payments/orders/{uuid}/mark-paid', tags, auth: 'required', params: OrderParams, body: MarkPaidBody,
  summary: 'Confirm a cash or bank-transfer payment (host, staff): the same fulfilment as a webhook',
  response: OrderOut, errors: [404, 409],
  handler: async ({ params, body, ctx }) => {
    const done = await markPaid(ctx, { orderUuid: params.uuid, reference: body.reference });
    return present(done.order, ctx.now());
  },
});

endpoint(router, {
  method: 'post', path: '/payments/orders/{uuid}/refund', tags, auth: 'required', params: OrderParams, body: RefundBody,
  summary: 'Refund an order in part or in full (host, staff); never more than paid — a concurrent loser gets 409',
  response: RefundOut, errors: [404, 409],
  handler: async ({ params, body, ctx }) => {
    const { order, refund } = await refundOrder(ctx, { orderUuid: params.uuid, amount: body.amount, reason: body.reason });
    const pending = await pendingRefundsOf([order.id]);
    return presentRefund(order, refund, ctx.now(), pending.get(order.id) ?? '0.00');
  },
});

// One route per provider with webhooks (the registry decides): verified on the raw body (src/app.ts reads it raw).
for (const adapter of webhookAdapters()) {
  endpoint(router, {
    method: 'post', path: `/payments/webhooks/${adapter.name}`, tags, auth: 'none', response: WebhookOut, errors: [503],
    summary: `${adapter.name} webhook: ${adapter.webhook.signatureHeader} verified on the raw body; a repeated event id answers 200 and changes nothing`,
    handler: async ({ req, ctx }) => receiveWebhook({ ...ctx, source: 'webhook' }, adapter.name, {
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v])),
      receivedAt: ctx.now(),
    }),
  });
}
