/**
 * Sets a key as an own data property. Plain assignment of `__proto__` would replace the
 * object's prototype instead (and lose the key): request data must never reach a setter.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
