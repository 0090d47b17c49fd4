import { fromMinor, toMinor } from '../../lib/money.js';

/** What an order is worth, frozen when it is placed. All integer minor units except the rates. */
export interface OrderSnapshot {
  unitMinor: number;
  seats: number;
  amountMinor: number;
  feeMinor: number;
  hostShareMinor: number;
  /** The rates the fee came from, as configured then ("2.50", "10.00"). */
  feePercent: string;
  feeFixed: string;
}

/**
 * amount = unit price × seats; platform fee = amount × PLATFORM_FEE_PERCENT / 100 rounded half-up
 * to the minor unit, plus PLATFORM_FEE_FIXED, never more than the amount; the host gets the rest.
 * The percentage is read as hundredths of a percent (basis points), so all arithmetic is integer.
 */
export function orderSnapshot(unitPrice: string, seats: number, rates: { percent: string; fixed: string }): OrderSnapshot {
  const unitMinor = toMinor(unitPrice);
  const amountMinor = unitMinor * seats;
  const basisPoints = toMinor(rates.percent, 'PLATFORM_FEE_PERCENT');
  const fixedMinor = toMinor(rates.fixed, 'PLATFORM_FEE_FIXED');
  const percentPart = Math.floor((amountMinor * basisPoints + 5000) / 10000);
  const feeMinor = Math.min(amountMinor, percentPart + fixedMinor);
  return {
    unitMinor, seats, amountMinor, feeMinor, hostShareMinor: amountMinor - feeMinor,
    feePercent: fromMinor(basisPoints), feeFixed: fromMinor(fixedMinor),
  };
}
