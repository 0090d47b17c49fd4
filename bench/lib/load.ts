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
