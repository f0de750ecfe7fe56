import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ip = (...args: string[]) => run('ip', args);

/**
 * Another machine on a network of its own: a network namespace joined to this one by a veth
 * pair. This side of the pair gets `hostAddress`, an address that is not loopback, so browsers
 * in the namespace treat pages from it as an ordinary remote site (no localhost exemptions).
 * Needs root (CAP_NET_ADMIN); `remove` deletes the namespace and both ends of the pair.
 */
export async function otherMachine() {
  // 198.18.0.0/15 is set aside for tests of network devices (RFC 2544); one /30 per process.
  const octet = process.pid % 250;
  const name = `lo${process.pid}`.slice(0, 10);
  const [hostSide, otherSide] = [`${name}h`, `${name}o`];
  const hostAddress = `198.18.${octet}.1`;
  const otherAddress = `198.18.${octet}.2`;
  try {
    await ip('netns', 'add', name);
    await ip('link', 'add', hostSide, 'type', 'veth', 'peer', 'name', otherSide);
    await ip('link', 'set', otherSide, 'netns', name);
    await ip('addr', 'add', `${hostAddress}/30`, 'dev', hostSide);
    await ip('link', 'set', hostSide, 'up');
    await ip('netns', 'exec', name, 'ip', 'addr', 'add', `${otherAddress}/30`, 'dev', otherSide);
    await ip('netns', 'exec', name, 'ip', 'link', 'set', otherSide, 'up');
    await ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    await removeNetwork(name, hostSide);
    throw new Error(`Could not set up a network namespace (these tests need root and iproute2): ${(error as Error).message}`);
  }
  const scripts = mkdtempSync(path.join(tmpdir(), 'linked-orgs-netns-'));
  return {
    hostAddress,
    otherAddress,
    /** A program that runs `executable` inside the namespace with the arguments it is given. */
    wrap(executable: string): string {
      const wrapper = path.join(scripts, path.basename(executable));
      writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${name} ${executable} "$@"\n`);
      chmodSync(wrapper, 0o755);
      return wrapper;
    },
    async remove() {
      rmSync(scripts, { recursive: true, force: true });
      await removeNetwork(name, hostSide);
    },
  };
}

async function removeNetwork(name: string, hostSide: string) {
  // Deleting one end of a veth pair deletes the other; deleting the namespace would too.
  await ip('link', 'del', hostSide).catch(() => undefined);
  await ip('netns', 'del', name).catch(() => undefined);
}
