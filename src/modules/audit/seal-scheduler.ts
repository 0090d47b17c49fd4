import type { Sequelize } from 'sequelize';
import { systemContext } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { logger } from '../../lib/logger.js';
import { sealAuditChain } from './commands/index.js';

/**
 * In-process, debounced sealing: one timer per process seals ~250 ms after a commit, so a burst costs
 * one seal; it never blocks a request nor keeps the process alive, and logs its errors — the
 * `seal-audit-log` job is the safety net (docs/decisions/0422-audit-chain-sealed-after-commit.md).
 */
export const SEAL_DEBOUNCE_MS = 250;
/** Lock busy (another process or the job is sealing): retry after 250, 500, 1000, 2000 ms, then leave it to the job. */
const BUSY_RETRIES = 4;

let timer: NodeJS.Timeout | undefined;
let running: Promise<void> | undefined;
let requestedWhileRunning = false;
let busyRetries = 0;

export function requestSeal(): void {
  if (timer) return; // already armed: this commit is sealed with the others
  if (running) {
    // The running seal may have read the unsealed rows before this commit: seal again after it.
    requestedWhileRunning = true;
    return;
  }
  arm(SEAL_DEBOUNCE_MS);
}

/** Resolves when the armed or running in-process seal (if any), retries included, has finished (tests wait on it). */
export async function settleSeal(): Promise<void> {
  while (timer || running) {
    if (running) await running;
    else await new Promise((r) => setTimeout(r, 10));
  }
}

function arm(delayMs: number): void {
  if (timer) return;
  let db: Sequelize;
  try {
    db = sequelize();
  } catch {
    return; // not connected: nothing to seal with
  }
  timer = setTimeout(() => {
    timer = undefined;
    running = fire(db).finally(() => {
      running = undefined;
    });
  }, delayMs);
  timer.unref();
}

/** The instance the timer was armed for is still the process's connection (not disconnected or replaced). */
function stillConnected(db: Sequelize): boolean {
  try {
    return sequelize() === db;
  } catch {
    return false;
  }
}

async function fire(db: Sequelize): Promise<void> {
  if (!stillConnected(db)) return;
  let retryIn: number | null = null;
  try {
    const result = await sealAuditChain(systemContext('system'));
    if (!result.ran) {
      if (busyRetries < BUSY_RETRIES) retryIn = SEAL_DEBOUNCE_MS * 2 ** busyRetries++;
      else busyRetries = 0;
    } else {
      busyRetries = 0;
      if (!result.done) retryIn = SEAL_DEBOUNCE_MS; // budget spent with rows left: keep going, but yield first
    }
  } catch (err) {
    // A pool closed mid-seal (shutdown, end of a test file) is expected; anything else is worth a warning.
    if (stillConnected(db)) logger.warn({ err }, 'audit sealing failed; the seal-audit-log job will retry');
  }
  if (retryIn === null && requestedWhileRunning) retryIn = SEAL_DEBOUNCE_MS;
  requestedWhileRunning = false;
  if (retryIn !== null && stillConnected(db)) arm(retryIn);
}
