/**
 * When the next attempt runs after `failures` failed ones: the schedule's wait for that retry
 * (WEBHOOK_RETRY_SCHEDULE, growing roughly exponentially by default), spread by ±20% so that
 * endpoints failing together (one receiver's outage) do not retry in step; undefined once the
 * schedule is spent.
 */
export function nextAttemptDelay(schedule: readonly number[], failures: number, random: () => number = Math.random): number | undefined {
  const wait = schedule[failures - 1];
  return wait === undefined ? undefined : Math.round(wait * (0.8 + 0.4 * random()));
}
