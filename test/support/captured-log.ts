// A logger whose lines the test reads, as parsed JSON objects.
import pino from 'pino';

export function capturedLog(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines, messages: () => lines.map((l) => String(l.msg)) };
}
