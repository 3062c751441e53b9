const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** JSONPath for a zod-style path: `['components', 0, 'release']` → `$.components[0].release`. */
export const toJsonPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    const name = String(key);
    // Keys that are not identifiers (a typo'd "intended use") still need an unambiguous path.
    return IDENTIFIER.test(name) ? `${acc}.${name}` : `${acc}[${JSON.stringify(name)}]`;
  }, '$');
