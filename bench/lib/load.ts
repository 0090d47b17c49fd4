import os from 'node:os';
import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50: number;
  /** 97.5th percentile (autocannon reports p90, p97.5 and p99, not p95). */
  p975: number;
  requests: number;
  /** Non-2xx answers plus socket errors and timeouts: any is a broken measurement. */
  failures: number;
}

/** `connections` keep-alive clients hammering `url` for `seconds` (autocannon, in this process). */
export async function hammer(url: string, { connections = 32, seconds = 10, headers = {} as Record<string, string> } = {}): Promise<LoadResult> {
  const r = await autocannon({ url, connections, duration: seconds, headers });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p975: r.latency.p97_5,
    requests: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
  };
}

/**
 * Hammers each URL in turn, `slices` times over (A B B A A B …), and sums each one's requests and
 * seconds: a drift in what else the machine does (a neighbour's build, the host) then weighs on
 * every side alike instead of on whichever ran during it. Latency percentiles are the slices'
 * medians. Failures are summed. `cpuOf[i]` (a process's CPU ms so far) gives each side's CPU per request.
 */
export async function hammerInterleaved(
  urls: string[], { slices = 5, seconds = 10, connections = 32, cpuOf = [] as (() => number)[] } = {},
): Promise<(LoadResult & { cpuMsPerRequest: number | null })[]> {
  const acc = urls.map(() => ({ requests: 0, secs: 0, failures: 0, cpu: 0, p50: [] as number[], p975: [] as number[] }));
  for (let s = 0; s < slices; s++) {
    const order = urls.map((_, i) => i);
    if (s % 2 === 1) order.reverse();
    for (const i of order) {
      const t0 = performance.now();
      const cpu0 = cpuOf[i]?.() ?? 0;
      const r = await hammer(urls[i]!, { connections, seconds: seconds / slices });
      const a = acc[i]!;
      a.secs += (performance.now() - t0) / 1000;
      a.cpu += (cpuOf[i]?.() ?? 0) - cpu0;
      a.requests += r.requests;
      a.failures += r.failures;
      a.p50.push(r.p50);
      a.p975.push(r.p975);
    }
  }
  return acc.map((a, i) => ({
    cpuMsPerRequest: cpuOf[i] ? a.cpu / Math.max(1, a.requests) : null,
    rps: a.requests / a.secs, p50: percentile(a.p50, 50), p975: percentile(a.p975, 50), requests: a.requests, failures: a.failures,
  }));
}

/** Sequential GETs (one connection): per-request latency with no queueing; for p50/p95 of single pages. */
export async function timeGets(url: string, runs: number, headers: Record<string, string> = {}): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
    times.push(performance.now() - t0);
  }
  return times;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface Race {
  ok: number;
  refused: number;
  secs: number;
  /** CPU this (harness) process spent per item, in ms. */
  cpuMsPer: number;
  /** CPU the whole machine (harness, PostgreSQL, anything else) spent per item, in ms. */
  machineCpuMsPer: number;
  /** Share of the machine's cores busy over the race (1 = every core all the time). */
  machineBusy: number;
  /** Refusal messages (thrown errors) and how often each came. */
  errors: Record<string, number>;
}

/**
 * Runs `job` for every item with `workers` concurrent workers pulling from one queue (the load loop
 * of the in-process scenarios: accepts, check-ins, the webhook baseline). A job that returns false or
 * throws is a refusal; thrown messages are counted with timestamps masked.
 */
export async function race<T>(items: T[], workers: number, job: (item: T, worker: number) => Promise<boolean | void>): Promise<Race> {
  let next = 0;
  let ok = 0;
  let refused = 0;
  const errors: Record<string, number> = {};
  const cpu0 = process.cpuUsage();
  const machine0 = machineTimes();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        if ((await job(item, w)) === false) refused++;
        else ok++;
      } catch (err) {
        refused++;
        const msg = (err as Error).message.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>');
        errors[msg] = (errors[msg] ?? 0) + 1;
      }
    }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const machine = machineTimes(machine0);
  return {
    ok, refused, secs, errors,
    cpuMsPer: (cpu.user + cpu.system) / 1000 / Math.max(1, items.length),
    machineCpuMsPer: machine.busy / Math.max(1, items.length),
    machineBusy: busyShare(machine),
  };
}

export interface MachineTimes { busy: number; idle: number }

/** Busy and idle ms summed over the machine's cores (os.cpus(), i.e. /proc/stat), since `from` when given. */
export function machineTimes(from: MachineTimes = { busy: 0, idle: 0 }): MachineTimes {
  let busy = 0;
  let idle = 0;
  for (const { times: t } of os.cpus()) {
    busy += t.user + t.nice + t.sys + t.irq;
    idle += t.idle;
  }
  return { busy: busy - from.busy, idle: idle - from.idle };
}

/** Share of the cores busy over a span measured by machineTimes (1 = every core all the time). */
export const busyShare = (t: MachineTimes): number => t.busy / Math.max(1, t.busy + t.idle);

/** A shuffled copy (Fisher–Yates). */
export function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
