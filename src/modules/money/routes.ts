import { Router, type Response } from 'express';
import { endpoint } from '../../http/endpoint.js';
import { logger } from '../../lib/logger.js';
import { z } from '../../lib/zod.js';
import { setPayoutAccount, findPayoutAccount, masked } from './commands/account.js';
import { prepareEventExport, type EventExport } from './exports.js';
import { myBalance, myLedger, myPayouts } from './queries.js';
import { BalanceOut, EventParams, LedgerPage, ListQuery, PayoutAccountBody, PayoutAccountOut, PayoutPage } from './schema.js';

/** Host money API (API.md "Host money"): the caller's own balance, ledger, payouts, payout account and CSVs. */
export const router = Router();
const tags = ['Host money'];

endpoint(router, {
  method: 'get', path: '/host/balance', summary: 'My balance per currency: pending, available, paid out', tags, auth: 'required',
  response: BalanceOut,
  handler: ({ ctx }) => myBalance(ctx),
});

endpoint(router, {
  method: 'get', path: '/host/ledger', summary: 'My ledger entries, newest first', tags, auth: 'required',
  query: ListQuery, response: LedgerPage,
  handler: ({ ctx, query }) => myLedger(ctx, query),
});

endpoint(router, {
  method: 'get', path: '/host/payouts', summary: 'My payouts, newest first', tags, auth: 'required',
  query: ListQuery, response: PayoutPage,
  handler: ({ ctx, query }) => myPayouts(ctx, query),
});

endpoint(router, {
  method: 'put', path: '/host/payout-account', summary: 'Set my payout account (stored encrypted, shown masked)', tags,
  auth: 'required', body: PayoutAccountBody, response: PayoutAccountOut,
  handler: async ({ ctx, body }) => masked(await setPayoutAccount(ctx, body)),
});

endpoint(router, {
  method: 'get', path: '/host/payout-account', summary: 'My payout account, masked', tags, auth: 'required',
  response: PayoutAccountOut, errors: [404],
  handler: async ({ ctx }) => masked(await findPayoutAccount(ctx)),
});

const csvBody = z.string().openapi({ description: 'CSV with a header row; cells that a spreadsheet would run as a formula start with an apostrophe' });
for (const kind of ['attendees', 'orders'] as EventExport[]) {
  endpoint(router, {
    method: 'get', path: `/events/{event}/${kind}.csv`, summary: `The ${kind} of my event as CSV (host, staff)`, tags,
    auth: 'required', params: EventParams, media: { 'text/csv': csvBody }, etag: false, errors: [403, 404],
    handler: async ({ ctx, params, res }) => {
      const { filename, write } = await prepareEventExport(ctx, params.event, kind);
      res.status(200).type('text/csv; charset=utf-8').attachment(filename);
      await streamOut(res, write);
    },
  });
}

/** Once the header is sent a failure cannot become a problem+json: the connection is cut instead. */
async function streamOut(res: Response, write: (out: Response) => Promise<void>): Promise<void> {
  try {
    await write(res);
  } catch (err) {
    logger.error({ err }, 'CSV export failed mid-stream');
    res.destroy(err as Error);
  }
}
