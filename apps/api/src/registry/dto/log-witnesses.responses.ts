import { z } from 'zod';
import { named } from '../../common/openapi.decorators.js';

/** `GET /v1/public/log/witnesses` (SPEC "The public registry as a transparency log"). */
export const logWitnessListSchema = named('LogWitnessList', z.array(z.object({
  name: z.string().meta({ description: 'the witness key name, as on its cosignature lines' }),
  verifierKey: z.string().meta({ description: '`<name>+<hex key id>+<base64(0x04 ‖ Ed25519 public key)>` (C2SP tlog-cosignature, cosignature/v1)' }),
})));
