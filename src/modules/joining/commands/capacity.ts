import { QueryTypes, type Transaction } from 'sequelize';
import { config } from '../../../config.js';
import { sequelize } from '../../../db/connection.js';
import { CLAIM_FAILED, isRefusalCode, liveHoldSql } from '../../../db/functions/joining-rules.js';
import { Conflict } from '../../../lib/errors.js';
import { Event } from '../../../models/index.js';
import { closedReason } from '../rules.js';

/*
 * Capacity: going_count + seats of live holds <= max_capacity, kept by joining_claim_seats at the end
 * of every seat-taking write (docs/decisions/0001-capacity-claim.md). Giving seats back needs no claim.
 */

const LIVE_HOLDS = `SELECT COALESCE(SUM(seats_reserved), 0) FROM capacity_reservation
  WHERE event_id = :eventId AND ${liveHoldSql('', ':now')}`;

/** Seats held right now by live reservations (uses the partial index capacity_reservation_live). */
export async function heldSeats(eventId: number, now: Date, transaction?: Transaction): Promise<number> {
  const rows = await sequelize().query<{ held: number }>(`SELECT (${LIVE_HOLDS})::int AS held`, {
    replacements: { eventId, now }, transaction, type: QueryTypes.SELECT,
  });
  return rows[0]?.held ?? 0;
}

/** Changes requests_count by `delta` (request created / left pending without taking seats). */
export async function bumpRequests(tx: Transaction, eventId: number, delta: number, now: Date): Promise<void> {
  await sequelize().query('UPDATE event SET requests_count = requests_count + :delta, updated_at = :now WHERE id = :eventId', {
    replacements: { delta, now, eventId }, transaction: tx,
  });
}

/** When a hold taken now stops counting. */
export const holdUntil = (now: Date): Date => new Date(now.getTime() + config().HOLD_MINUTES * 60_000);

/**
 * Turns the joining SQL functions' refusals (REFUSALS in db/functions/joining-rules.ts) into
 * Conflict and lets anything else through. A failed claim carries no reason: `explainClaim` says it.
 */
export async function refusalsAsConflict<T>(run: () => Promise<T>, explainClaim?: () => Promise<Conflict>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const pgErr = (err as { parent?: { code?: string; message?: string } }).parent;
    if (pgErr?.code === CLAIM_FAILED && explainClaim) throw await explainClaim();
    if (isRefusalCode(pgErr?.code) && pgErr!.message) throw new Conflict(pgErr!.message);
    throw err;
  }
}

/** Why a claim on this event failed: closed (its reason) or else full. */
export async function claimRefusal(eventId: number, now: Date, transaction?: Transaction): Promise<Conflict> {
  const event = await Event.findByPk(eventId, { transaction });
  return new Conflict(event ? closedReason(event, now) ?? 'Event is full' : 'Event is gone');
}
