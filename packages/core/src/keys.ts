/**
 * The one key format of each concept, built and parsed here only: core, store, replay and the
 * inspector page all use these functions. Kubernetes names never contain `/`, so `/` separates.
 */

declare const objectKeyBrand: unique symbol;
declare const nameKeyBrand: unique symbol;

/**
 * `Kind/namespace/name`, e.g. `WorkloadEntry/shop/vm-1`: an object's identity across kinds — in
 * the log's object index, `meshfold history`, a `Change`'s `key` and an endpoint's `workload`.
 * A string, branded so that a `NameKey` is not passed for one.
 */
export type ObjectKey = string & { readonly [objectKeyBrand]: true };

/**
 * `namespace/name`, e.g. `shop/orders`: an object's identity within its kind — in associations,
 * `meshfold why` and the state's queries.
 */
export type NameKey = string & { readonly [nameKeyBrand]: true };

/**
 * The `ObjectKey` of an object.
 *
 * @example
 * objectKey('ServiceEntry', 'shop', 'orders') // 'ServiceEntry/shop/orders'
 */
export function objectKey(kind: string, namespace: string, name: string): ObjectKey {
  return `${kind}/${namespace}/${name}` as ObjectKey;
}

/** The `ObjectKey` of a record (or anything with a kind, namespace and name). */
export function recordKey(rec: { readonly kind: string; readonly namespace: string; readonly name: string }): ObjectKey {
  return objectKey(rec.kind, rec.namespace, rec.name);
}

/**
 * The `NameKey` of a record, or of a namespace and name.
 *
 * @example
 * nameKey({ namespace: 'shop', name: 'orders' }) // 'shop/orders'
 */
export function nameKey(rec: { readonly namespace: string; readonly name: string }): NameKey {
  return `${rec.namespace}/${rec.name}` as NameKey;
}

/**
 * The parts of an `ObjectKey`, or `undefined` when `key` is not one (not three non-empty parts).
 *
 * @example
 * parseObjectKey('WorkloadEntry/shop/vm-1') // { kind: 'WorkloadEntry', namespace: 'shop', name: 'vm-1' }
 */
export function parseObjectKey(key: string): { kind: string; namespace: string; name: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  const [kind, namespace, name] = parts as [string, string, string];
  return { kind, namespace, name };
}

/** The parts of a `NameKey`, or `undefined` when `key` is not one (not two non-empty parts). */
export function parseNameKey(key: string): { namespace: string; name: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 2 || parts.some((p) => p === '')) return undefined;
  const [namespace, name] = parts as [string, string];
  return { namespace, name };
}
