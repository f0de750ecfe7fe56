// jsonld.js's context resolver, which its API takes as the `contextResolver` option but its types do not describe.
declare module 'jsonld/lib/ContextResolver.js' {
  export default class ContextResolver {
    constructor(options: { sharedCache: { get(key: string): unknown; set(key: string, value: unknown): unknown } });
  }
}
