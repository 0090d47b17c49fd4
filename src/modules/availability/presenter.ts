import type { Figures } from './commands/figures.js';

export interface AvailabilityJson {
  max_capacity: number;
  going: number;
  held: number;
  available: number | null;
  waitlisted: number;
}

/** Figures → public JSON: `available` is what is left of the capacity (never negative), null when unlimited. */
export function presentAvailability(f: Figures): AvailabilityJson {
  return {
    max_capacity: f.max_capacity,
    going: f.going,
    held: f.held,
    available: f.max_capacity === 0 ? null : Math.max(0, f.max_capacity - f.going - f.held),
    waitlisted: f.waitlisted,
  };
}
