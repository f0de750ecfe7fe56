// One measurement: autocannon against one server for a bounded time, every status checked.
import autocannon from 'autocannon';
import { sampleRss } from './processes.js';

let posted = 0;
const RUN = Date.now().toString(36);

/** Distinct names for every POST of the run, so slugs never collide. */
function distinctName() {
  return JSON.stringify({ name: `Bench post ${RUN} ${++posted}` });
}

/**
 * Runs `target` ({ slot, method, path, headers, status }) for `duration` seconds with
 * `connections` connections; stops it after `duration + 5` seconds whatever happens.
 * Returns req/s, latencies, peak RSS of the server, and what went wrong, if anything.
 */
export async function measure(target, { duration, connections }) {
  const method = target.method ?? 'GET';
  const expected = String(target.status ?? 200);
  const request = { method, path: target.path, headers: { ...target.headers, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) } };
  if (method === 'POST') request.setupRequest = (req) => ({ ...req, body: distinctName() });
  const stopRss = sampleRss(target.slot.server.pid);
  const instance = autocannon({ url: target.slot.server.base, connections, pipelining: 1, duration, timeout: 10, requests: [request] });
  let capped = false;
  const cap = setTimeout(() => {
    capped = true;
    instance.stop();
  }, (duration + 5) * 1000);
  let result;
  try {
    result = await instance;
  } finally {
    clearTimeout(cap);
  }
  const rss = stopRss();
  const problems = [];
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) if (status !== expected) problems.push(`${count}× HTTP ${status}`);
  if (result.errors) problems.push(`${result.errors} errors (${result.timeouts} timeouts)`);
  if (!result.requests.total) problems.push('no response at all');
  if (capped) problems.push(`still running after ${duration + 5} s`);
  return { reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, rss, total: result.requests.total, problems };
}
