import { pino } from 'pino';
import { exitIfShutdownHangs, loadConfigOrExit } from '@app/config';
import { createWorker } from './bootstrap.js';

const config = loadConfigOrExit();
exitIfShutdownHangs(config.SHUTDOWN_TIMEOUT_MS, pino({ level: config.LOG_LEVEL }).child({ service: 'worker' }));
await createWorker(config);
