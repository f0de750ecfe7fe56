import { measure } from './load.js';
import { cpuTicks, settle } from './processes.js';

/**
 * Measures each instance in turn, `options.rounds` times, each round in the other order, after
 * a warm-up that is not counted (the JIT compiles the request path in the first seconds), so
 * that whatever else loads the machine weighs on all of them. Each round's req/s, p99 and the
 * server's CPU time per request go on `subject.rounds`; `label` names a subject in the output.
 */
export async function interleavedRounds(instances, target, options, label = (subject) => subject.name) {
  for (const subject of instances) await measure(target(subject), { ...options, duration: 2 });
  for (let round = 0; round < options.rounds; round++) {
    for (const subject of round % 2 ? [...instances].reverse() : instances) {
      const { server } = subject.slot;
      await settle(server);
      const before = cpuTicks(server.pid);
      const result = await measure(target(subject), options);
      if (result.problems.length) throw new Error(`${label(subject)}, round ${round + 1}: ${result.problems.join('; ')}`);
      const cpuMicros = ((cpuTicks(server.pid) - before) * 10_000) / result.total;
      subject.rounds.push({ reqPerSec: result.reqPerSec, p99: result.p99, cpuMicros });
      console.log(`round ${round + 1}, ${label(subject)}: ${Math.round(result.reqPerSec)} req/s, p99 ${result.p99} ms, ${Math.round(cpuMicros)} µs CPU per request`);
    }
  }
}
