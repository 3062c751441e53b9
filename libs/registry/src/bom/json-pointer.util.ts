/** The keys of an RFC 6901 JSON Pointer (Ajv's `instancePath`), array indices as numbers: `/components/0` → `['components', 0]`. */
export const pointerKeys = (pointer: string): Array<string | number> =>
  pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
        .map((token) => (/^(0|[1-9]\d*)$/.test(token) ? Number(token) : token));
