/**
 * Minimal stand-in for the `reflect-metadata` polyfill that @peculiar/x509 (through tsyringe) requires at load time.
 * Only the three calls tsyringe makes are provided (getMetadata, getOwnMetadata, defineMetadata); nothing is replaced when
 * a real polyfill is already loaded. Replace with `import "reflect-metadata"` once that package is a dependency.
 */
type MetadataTarget = object;

const store = new WeakMap<MetadataTarget, Map<unknown, unknown>>();
const reflect = Reflect as typeof Reflect & Record<string, unknown>;

if (typeof reflect.getMetadata !== "function") {
  const own = (key: unknown, target: MetadataTarget): unknown => store.get(target)?.get(key);
  reflect.defineMetadata = (key: unknown, value: unknown, target: MetadataTarget): void => {
    let map = store.get(target);
    if (!map) store.set(target, (map = new Map()));
    map.set(key, value);
  };
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key: unknown, target: MetadataTarget): unknown => {
    for (let t: MetadataTarget | null = target; t; t = Object.getPrototypeOf(t) as MetadataTarget | null) {
      const map = store.get(t);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
}

export {};
