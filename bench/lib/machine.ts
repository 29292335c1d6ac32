// The machine a run was made on, as the results record it.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  host: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run began and ended: other work on a shared machine shows here. */
  loadAverage: { start: number; end?: number };
}

export function loadAverage(): number {
  return Math.round(os.loadavg()[0]! * 100) / 100;
}

export function describeMachine(): Machine {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel =
      readFileSync('/proc/cpuinfo', 'utf8')
        .match(/^model name\s*:\s*(.+)$/m)?.[1]
        ?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    host: os.hostname(),
    cpuModel,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: { start: loadAverage() },
  };
}
