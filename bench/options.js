// The command line of `npm run bench -- [options]`.
import { Command, InvalidArgumentError, Option } from 'commander';
import { SCENARIO_IDS } from './scenarios.js';

const ENGINES = ['sqlite', 'postgres'];

function whole(min) {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`a whole number, ${min} or more`);
    return n;
  };
}

function listOf(allowed, what) {
  return (value) => {
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = items.filter((i) => !allowed.includes(i));
    if (items.length === 0 || unknown.length) throw new InvalidArgumentError(`${what} are some of ${allowed.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
    return [...new Set(items)];
  };
}

export function readOptions(argv) {
  const program = new Command('npm run bench --')
    .description('Benchmarks the service against anchors measured in the same run; writes the results table.')
    .option('--duration <seconds>', 'seconds per scenario and round', whole(1), 5)
    .option('--connections <n>', 'concurrent connections', whole(1), 50)
    .option('--rounds <n>', 'rounds; the table gives medians', whole(1), 3)
    .option('--warmup <seconds>', 'warm-up of each row before the first round (0: none)', whole(0), 1)
    .addOption(new Option('--engines <list>', `engines for the service, comma-separated: ${ENGINES.join(', ')}`).env('BENCH_ENGINES').argParser(listOf(ENGINES, 'engines')).default(['sqlite']))
    .option('--postgres', 'also run the service on PostgreSQL (same as adding postgres to --engines)')
    .addOption(new Option('--pg-url <url>', 'PostgreSQL server where a fresh database is created and dropped').env('PG_BENCH_URL').default('postgres://postgres@127.0.0.1:5432/test'))
    .option('--scenarios <list>', `a subset of: ${SCENARIO_IDS.join(', ')} (the limit always runs)`, listOf(SCENARIO_IDS, 'scenarios'))
    .option('--cli-runs <n>', 'after the rounds, run each CLI command this many times and report its wall time (0: skip)', whole(0), 5)
    .option('--out <file>', 'where to write the markdown report', 'docs/benchmarks.md')
    .option('--profile <scenario>', 'after the rounds, run the service under node --cpu-prof for this scenario and summarize where the time goes', listOf(SCENARIO_IDS, 'scenarios'))
    .option('--keep', 'keep the temporary folder (SQLite database, server logs, profiles) and the PostgreSQL database')
    .allowExcessArguments(false);
  program.parse(argv);
  const options = program.opts();
  const engines = new Set(options.engines);
  if (options.postgres) engines.add('postgres');
  return { ...options, engines: ENGINES.filter((e) => engines.has(e)), profile: options.profile?.[0] };
}
