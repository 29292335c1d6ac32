// What Linux says about a process: its memory (/proc/<pid>/status) and CPU time (/proc/<pid>/stat).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

export interface Memory {
  /** Resident set now, and its peak since the process started (the kernel's high-water mark), MiB. */
  rssMiB: number;
  hwmMiB: number;
}

export function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN);
    return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
  } catch {
    return undefined; // gone
  }
}

/**
 * Resets the kernel's high-water mark of the process's resident memory to what it is now
 * (echo 5 > /proc/<pid>/clear_refs), so that VmHWM afterwards is the peak of what follows.
 * False where the kernel does not allow it.
 */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** User + system CPU time the process has used, in milliseconds (all its threads). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** CPU time of every PostgreSQL server process on the machine (postmaster and backends), ms. */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      total += cpuMsOf(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CPU time of this process (the runner: the load generator), ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Samples a process's resident memory every `everyMs` until stopped; reports the peak seen. */
export function sampleMemory(pid: number, everyMs = 50) {
  let peakRssMiB = 0;
  let samples = 0;
  const tick = () => {
    const m = memoryOf(pid);
    if (!m) return;
    samples++;
    if (m.rssMiB > peakRssMiB) peakRssMiB = m.rssMiB;
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop(): { peakRssMiB: number; hwmMiB: number; samples: number } {
      clearInterval(timer);
      tick();
      return { peakRssMiB, hwmMiB: memoryOf(pid)?.hwmMiB ?? Number.NaN, samples };
    },
  };
}

/** CPU time the whole machine has spent busy (not idle or waiting on I/O), in milliseconds. */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!; // cpu  user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / 100;
}
