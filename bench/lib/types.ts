/**
 * The bench scenario interface (TEAM.md). `npm run bench` imports every bench/scenarios/<name>.ts
 * and calls its default export; each scenario seeds its own database on the server of
 * `databaseUrl`, measures its figure AND a like-for-like baseline in the same run, and with
 * `quick` finishes in seconds on tiny data.
 */
export interface BenchRow {
  scenario: string;
  figure: number;
  unit: string;
  /** The like-for-like baseline measured in the same run (null when the goal is absolute). */
  baseline: number | null;
  /** figure / baseline (null without a baseline). */
  ratio: number | null;
  /**
   * The goal as text. A goal starting with "=" is an invariant (oversold = 0, equal to a recount,
   * processed exactly once): the harness fails the run when one is unmet, even with --quick.
   * Speed and memory goals are reported, never fatal (a shared 2-core machine is noisy).
   */
  goal: string;
  met: boolean | null;
}

export interface ScenarioOptions {
  quick: boolean;
  /** A server URL: create a fresh database on it (bench/lib/db.ts `scratchDatabase`). */
  databaseUrl: string;
  log: (s: string) => void;
  /** Size flags from the command line (`--events=1000000` → { events: 1000000 }); scenarios pick their own. */
  sizes?: Record<string, number>;
}

export type Scenario = (opts: ScenarioOptions) => Promise<BenchRow[]>;

/** One row, with the ratio computed from figure and baseline. */
export function row(scenario: string, figure: number, unit: string, baseline: number | null, goal: string, met: boolean | null): BenchRow {
  const ratio = baseline ? Number((figure / baseline).toFixed(3)) : null;
  return { scenario, figure: Number(figure.toFixed(figure < 10 ? 3 : 1)), unit, baseline: baseline === null ? null : Number(baseline.toFixed(baseline < 10 ? 3 : 1)), ratio, goal, met };
}
