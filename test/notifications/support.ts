import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { config, setConfig } from '../../src/config.js';
import { sequelize } from '../../src/db/connection.js';

/**
 * A real SMTP server in process (smtp-server), parsing what it receives with mailparser.
 * `stop()` closes the port (an outage: connection refused); `start()` listens again on the same
 * port; `rejecting = true` keeps it up but answers 451 to every recipient.
 */
export async function startSmtp() {
  const received: ParsedMail[] = [];
  const state = { rejecting: false };
  let server: SMTPServer | undefined;
  let port = 0;
  const start = async () => {
    server = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onRcptTo(_address, _session, cb) {
        if (state.rejecting) cb(Object.assign(new Error('Mailbox unavailable, try again later'), { responseCode: 451 }));
        else cb();
      },
      onData(stream, _session, cb) {
        simpleParser(stream, { keepCidLinks: true }).then((mail) => { received.push(mail); cb(); }, (err: Error) => cb(err));
      },
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  };
  const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await start();
  const previous = config();
  setConfig({ ...previous, SMTP_URL: `smtp://127.0.0.1:${port}` });
  return {
    received, state, start, stop,
    async close() {
      await stop();
      setConfig(previous);
    },
  };
}

/** Counts the statements Sequelize sends while `fn` runs (every model call goes through query()). */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const db = sequelize();
  const original = db.query.bind(db);
  const statements: string[] = [];
  db.query = ((sql: unknown, options: unknown) => {
    statements.push(typeof sql === 'string' ? sql : String((sql as { query?: string }).query ?? sql));
    return original(sql as never, options as never);
  }) as typeof db.query;
  try {
    return { result: await fn(), statements };
  } finally {
    db.query = original;
  }
}
