import { Redis, type RedisOptions } from 'ioredis';

/** BullMQ needs `maxRetriesPerRequest: null` on worker connections. */
export const createRedis = (url: string, options: RedisOptions = {}): Redis =>
  new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });

/** The injection token of the process's shared Redis connection. */
export const REDIS = Symbol('REDIS');
