import { loadConfigOrExit } from '@app/config';
import { createApi } from './bootstrap.js';

const config = loadConfigOrExit();
const app = await createApi(config);
await app.listen(config.PORT);
