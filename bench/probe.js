// Loaded into the service by bench/hostile-bodies.js (node --import): answers the parent's
// "probe" messages with the process's own CPU time and memory, which no outside view gives
// as precisely. Bench-only; the service never loads it.
if (process.send) {
  process.on('message', (message) => {
    if (message?.probe === undefined) return;
    if (message.gc && globalThis.gc) globalThis.gc();
    process.send({ probe: message.probe, cpu: process.cpuUsage(), memory: process.memoryUsage() });
  });
  process.channel?.unref();
}
