/** What the name filter and the order by name compare: the same on every engine. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
