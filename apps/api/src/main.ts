import { pino } from 'pino';
import { exitIfShutdownHangs, loadConfigOrExit } from '@app/config';
import { createApi } from './bootstrap.js';

const config = loadConfigOrExit();
exitIfShutdownHangs(config.SHUTDOWN_TIMEOUT_MS, pino({ level: config.LOG_LEVEL }).child({ service: 'api' }));
const app = await createApi(config);
await app.listen(config.PORT);
