import { loadConfigOrExit } from '@app/config';
import { createWorker } from './bootstrap.js';

await createWorker(loadConfigOrExit());
