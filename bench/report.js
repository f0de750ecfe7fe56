// Medians over the rounds, ratios to the limit, the issue's target checks, and docs/benchmarks.md.
import { writeFileSync } from 'node:fs';
import { ANCHORS, SERVICE } from './scenarios.js';

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** One line per row: medians of req/s, p50 and p99, the peak RSS, the ratio to the limit's median. */
export function summarize(rows) {
  const limit = median(rows.find((r) => r.key === 'limit')?.samples.map((s) => s.reqPerSec) ?? []);
  return rows.map((row) => {
    const reqPerSec = median(row.samples.map((s) => s.reqPerSec));
    const problems = row.samples.flatMap((s, i) => s.problems.map((p) => `round ${i + 1}: ${p}`));
    return {
      ...row,
      reqPerSec,
      p50: median(row.samples.map((s) => s.p50)),
      p99: median(row.samples.map((s) => s.p99)),
      rss: Math.max(...row.samples.map((s) => s.rss)),
      ratio: reqPerSec / limit,
      problems,
    };
  });
}

function check(name, rows, compute) {
  if (rows.some((r) => !r)) return { name, verdict: 'SKIPPED', detail: 'not measured in this run' };
  const { ok, detail } = compute(...rows);
  const errors = rows.filter((r) => r.problems.length).map((r) => r.key);
  return { name, verdict: ok && errors.length === 0 ? 'PASS' : 'FAIL', detail: errors.length ? `${detail}; errors in ${errors.join(', ')}` : detail };
}

const ratio = (a, b, min) => {
  const items = a.items !== undefined && b.items !== undefined ? `; ${a.items} vs ${b.items} items a page` : '';
  return { ok: a.reqPerSec / b.reqPerSec >= min, detail: `${(a.reqPerSec / b.reqPerSec).toFixed(2)} (${fmt(a.reqPerSec)} / ${fmt(b.reqPerSec)} req/s${items})` };
};

/** Issue 17's targets, per engine, as PASS/FAIL/SKIPPED lines (ratios between rows of the same run). */
export function targetChecks(summary, engines) {
  const row = (key) => summary.find((r) => r.key === key);
  const checks = [];
  const minExpress = { sqlite: 0.5, postgres: 0.35 };
  for (const e of engines) {
    checks.push(check(`${e}: GET one organization ≥ ${minExpress[e] ?? 0.5} × Express alone`, [row(`${e}:get-one`), row('express')], (a, b) => ratio(a, b, minExpress[e] ?? 0.5)));
    if (e === 'postgres') {
      // Not targets: what Express and the driver leave, so a missed PostgreSQL target says how far it is from that ceiling.
      const info = (name, rows) => ({ ...check(name, rows, (a, b) => ratio(a, b, 0)), verdict: 'INFO' });
      checks.push(info(`${e}: Express 5 + pg SELECT (no feature) ÷ Express alone, the most the GET one target could reach`, [row('express-pg'), row('express')]));
      checks.push(info(`${e}: GET one organization ÷ Express 5 + pg SELECT`, [row(`${e}:get-one`), row('express-pg')]));
      checks.push(info(`${e}: Express 5 + pg INSERT (no feature) ÷ a bare pg insert, the most the POST target could reach`, [row('express-pg-insert'), row('insert-pg')]));
      checks.push(info(`${e}: POST an organization ÷ Express 5 + pg INSERT`, [row(`${e}:post`), row('express-pg-insert')]));
    }
    if (e === 'sqlite') checks.push(check(`${e}: GET one organization ≥ 2 × the typical stack with members`, [row(`${e}:get-one`), row('typeorm')], (a, b) => ratio(a, b, 2)));
    for (const page of ['orgs-10k-first', 'orgs-1m-first']) {
      checks.push(check(`${e}: a page of 30 organizations (${page}) ≥ 0.25 × GET one`, [row(`${e}:${page}`), row(`${e}:get-one`)], (a, b) => ratio(a, b, 0.25)));
    }
    if (e === 'sqlite') checks.push(check(`${e}: POST an organization ≥ 0.40 × the bare insert server`, [row(`${e}:post`), row('insert-bare')], (a, b) => ratio(a, b, 0.4)));
    else checks.push(check(`${e}: POST an organization ≥ 0.25 × a bare pg insert`, [row(`${e}:post`), row('insert-pg')], (a, b) => ratio(a, b, 0.25)));
    const service = summary.filter((r) => r.engine === e);
    if (service.length) {
      const worst = service.reduce((a, b) => (b.p99 / Math.max(b.p50, 1) > a.p99 / Math.max(a.p50, 1) ? b : a));
      const spread = worst.p99 / Math.max(worst.p50, 1);
      checks.push({ name: `${e}: p99 ≤ 4 × p50 in every scenario`, verdict: spread <= 4 ? 'PASS' : 'FAIL', detail: `worst ${spread.toFixed(1)} × (${worst.id}: p50 ${worst.p50} ms, p99 ${worst.p99} ms)` });
      const peak = service.reduce((a, b) => (b.rss > a.rss ? b : a));
      checks.push({ name: `${e}: service RSS < 200 MB in every scenario`, verdict: peak.rss < 200 ? 'PASS' : 'FAIL', detail: `peak ${peak.rss.toFixed(0)} MB (${peak.id})` });
    }
  }
  return checks;
}

function fmt(n, digits = 0) {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
}

export function table(summary) {
  const lines = ['| Row | Engine | req/s | p50 ms | p99 ms | peak RSS MB | × limit | req/s per round | Status |', '|---|---|--:|--:|--:|--:|--:|---|---|'];
  for (const r of summary) {
    const rounds = r.samples.map((s) => fmt(s.reqPerSec)).join(' / ');
    const status = r.problems.length ? `**FAIL**: ${r.problems.join('; ')}` : 'ok';
    lines.push(`| ${r.label} | ${r.engine} | ${fmt(r.reqPerSec)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${fmt(r.rss)} | ${fmt(r.ratio, 3)} | ${rounds} | ${status} |`);
  }
  return lines.join('\n');
}

const explanations = () =>
  [
    '**Anchors** (each its own child process, reading the SQLite file the SQLite service uses, the same organization row; the two PostgreSQL anchors read and write the PostgreSQL service\'s database):',
    ...ANCHORS.map((a) => `- *${a.label}* (\`${a.id}\`): ${a.about}`),
    '',
    '**The service** as in production (`node dist/src/main.js`, `LOG_LEVEL=info` with its JSON logs written to a file, `RATE_LIMIT_PER_MINUTE=100000000`, `SQLITE_SYNCHRONOUS` at its default `FULL`), with a token made by the CLI:',
    ...SERVICE.map((s) => `- *${s.label}* (\`${s.id}\`): ${s.about}`),
  ].join('\n');

/** The whole docs/benchmarks.md: what the rows are, the run, the table, the target checks, notes. */
export function markdown({ summary, checks, run, notes, profile, cli }) {
  return `# Benchmarks

Written by \`npm run bench\` (see \`bench/run.js --help\`); do not edit by hand. Every number
below comes from one run on one machine: compare ratios, not absolute req/s, across machines.

${explanations()}

Method: autocannon in the benchmark's own process against 127.0.0.1, ${run.connections} connections,
pipelining 1, ${run.duration} s per scenario (capped at ${run.duration + 5} s), after a ${run.warmup} s warm-up of each.
Each round runs every row once, anchors and service scenarios alternating; the table gives
the medians of ${run.rounds} rounds (req/s, p50, p99) and the peak resident size of the server
process seen in any round, sampled every 200 ms. A row fails when any response is not the
expected status (200, or 201 for POST) or any request errs or times out (10 s). Collection
rows say how many items their page holds: with the default 30 a page, the last pages of
10,000 and 1,000,000 organizations hold 10.

## Run of ${run.date}

- Command: \`${run.command}\`
- Machine: ${run.machine}
- Engines: ${run.enginesText}
- Seeding: ${run.seeding}

${table(summary)}
${cli ? `\n### CLI wall time\n\nEach command spawned ${run.cliRuns} times after the rounds (\`node bin/linked-orgs.js …\`, from spawn to exit, the server still running): \`partner create\` on a database nobody opened yet (it migrates first), \`token create\` on the benchmark's seeded database.\n\n${cli}\n` : ''}
### Target checks (issue 17)

${checks.map((c) => `- **${c.verdict}** ${c.name}: ${c.detail}`).join('\n')}
${notes.length ? `\n### Notes\n\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}${profile ? `\n${profile}\n` : ''}`;
}

export function writeReport(file, content) {
  writeFileSync(file, content);
}
