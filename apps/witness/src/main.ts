import { pino } from 'pino';
import { exitIfShutdownHangs, loadWitnessConfigOrExit } from '@app/config';
import { startWitness } from './witness.app.js';

/** `npm run start:witness`: the C2SP tlog-witness of the public registry log (SPEC "The public registry as a transparency log"). */
const config = loadWitnessConfigOrExit();
exitIfShutdownHangs(config.SHUTDOWN_TIMEOUT_MS, pino({ level: config.LOG_LEVEL }).child({ service: 'witness' }));
const witness = await startWitness(config);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await witness.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
