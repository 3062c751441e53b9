import { Init1764300000000 } from './1764300000000-Init.js';

/** Every migration, oldest first. */
export const MIGRATIONS = [Init1764300000000];
