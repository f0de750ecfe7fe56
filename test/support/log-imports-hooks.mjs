import { appendFileSync } from 'node:fs';

/** Module loader hook (runs on the loader thread): notes each URL, then loads it as usual. */
export async function load(url, context, nextLoad) {
  if (process.env.IMPORTS_LOG) appendFileSync(process.env.IMPORTS_LOG, `${url}\n`);
  return nextLoad(url, context);
}
