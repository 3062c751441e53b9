/** ajv-formats-draft2019 ships no types: the one call Clearance makes, as its README gives it. */
declare module 'ajv-formats-draft2019' {
  import type { Ajv } from 'ajv';

  const addDraft2019Formats: (ajv: Ajv, options?: { formats?: string[] }) => Ajv;
  export default addDraft2019Formats;
}
