// Where a server spends its time: a V8 .cpuprofile (node --cpu-prof) summarized as markdown.
// The profile covers the whole process, start-up included (a few percent).
import { readFileSync } from 'node:fs';

const OWN = /\/dist\/(src\/.*)$/;

/** `express`, `@scope/name`, `node: (core)`, `linked-orgs src/http`, or a V8 pseudo-frame. */
function areaOf({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node: (core)';
  const own = OWN.exec(url);
  return own ? `linked-orgs ${own[1].split('/').slice(0, -1).join('/')}` : url;
}

function where({ url, lineNumber }) {
  if (!url) return '';
  const pkg = /node_modules\/(.*)$/.exec(url);
  const own = OWN.exec(url);
  return ` ${pkg ? pkg[1] : own ? own[1] : url}:${lineNumber + 1}`;
}

const nameOf = (frame) => `${frame.functionName || '(anonymous)'}${where(frame)}`;

function add(map, key, us) {
  map.set(key, (map.get(key) ?? 0) + us);
}

/** Self time of the top functions; time per package (self and inclusive); inclusive time of the service's own functions. */
export function summarizeProfile(file, title, top = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const self = new Map();
  const areaSelf = new Map();
  const areaInside = new Map();
  const ownInside = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const leaf = nodes.get(id).callFrame;
    add(self, nameOf(leaf), us);
    add(areaSelf, areaOf(leaf), us);
    const areas = new Set();
    const own = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at).callFrame;
      if (frame.functionName === '(root)') break;
      areas.add(areaOf(frame));
      if (OWN.test(frame.url)) own.add(nameOf(frame));
    }
    for (const area of areas) add(areaInside, area, us);
    for (const name of own) add(ownInside, name, us);
  });
  const pct = (us) => `${((100 * (us ?? 0)) / total).toFixed(1)} %`;
  const best = (map, n = top) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
  const code = (text) => `\`${text.replace(/\|/g, '\\|')}\``;
  return [
    `## Profile: ${title}`,
    '',
    `${(total / 1e6).toFixed(1)} s of samples (start-up included). Self time, top ${top} functions:`,
    '',
    '| Function | Self |',
    '|---|--:|',
    ...best(self).map(([k, us]) => `| ${code(k)} | ${pct(us)} |`),
    '',
    'Per package or folder of the service: self time, and inclusive time (a sample counts once for every area on its stack):',
    '',
    '| Area | Self | Inclusive |',
    '|---|--:|--:|',
    ...best(areaInside, 18).map(([k, us]) => `| ${k} | ${pct(areaSelf.get(k))} | ${pct(us)} |`),
    '',
    `The service's own functions, inclusive time, top ${top}:`,
    '',
    '| Function | Inclusive |',
    '|---|--:|',
    ...best(ownInside).map(([k, us]) => `| ${code(k)} | ${pct(us)} |`),
  ].join('\n');
}
