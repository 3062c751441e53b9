import { readFileSync } from 'node:fs';

/** Linux clock ticks per second for /proc CPU times (USER_HZ; 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) a process has used, from /proc; 0 when unreadable (not Linux, gone). */
export const processCpuMs = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
};

/** Busy CPU milliseconds of the whole machine (all cores), from /proc/stat; 0 when unreadable. */
export const machineBusyMs = (): number => {
  try {
    const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
    const [, ...values] = line!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = values.slice(0, 8).reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + v), 0);
    return (busy * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
};

export type CpuSnapshot = Record<string, number>;

/** Per-group differences between two snapshots. */
export const cpuDelta = (before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot =>
  Object.fromEntries(Object.entries(after).map(([group, ms]) => [group, ms - (before[group] ?? 0)]));
