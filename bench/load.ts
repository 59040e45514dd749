/**
 * One load run with autocannon: POSTs to one path, each request built fresh (a unique text,
 * signed at the moment it is sent), at a fixed overall rate or as fast as the connections go.
 *
 * Latency is taken from every 2xx response's own time (autocannon's `response` event, in
 * fractional ms), not from autocannon's histogram, which keeps whole milliseconds: at a
 * fixed rate both servers answer in about a millisecond, where whole milliseconds cannot
 * tell them apart.
 */
import autocannon from 'autocannon';
import { quantile } from './common';

export interface LoadOptions {
  url: string;
  path: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; absent: saturation. */
  overallRate?: number;
  /** The n-th request's headers and body (n counts from 0 over the run). */
  request: (n: number) => { headers: Record<string, string>; body: string };
}

export interface LoadResult {
  p50: number;
  p99: number;
  /** 2xx responses per second. */
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.durationSeconds,
      timeout: 10,
      ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
      requests: [{
        method: 'POST',
        path: options.path,
        setupRequest: (request) => {
          const { headers, body } = options.request(n);
          n += 1;
          return { ...request, headers, body };
        },
      }],
    }, (err, result) => {
      if (err) {
        reject(err);
        return;
      }
      resolve({
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        rps: result['2xx'] / result.duration,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        seconds: result.duration,
      });
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}
