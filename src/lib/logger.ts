import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Any field whose name looks like a credential is replaced, however deep it sits, so a token can never reach a
 * log line by being nested in an error or a provider payload. Matching on names (not values) is the only rule
 * that needs no knowledge of the secret itself.
 */
const SECRET_KEY =
  /(authorization|cookie|token|secret|password|passwd|api[-_]?key|^key$|private[-_]?key|client[-_]?secret|code_verifier)/i;
const REDACTED = '[redacted]';

/** Whether `value` is an object of plain values with no secret-looking name: most log lines, kept as they are. */
function isClean(value: object): boolean {
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if ((v !== null && typeof v === 'object') || SECRET_KEY.test(k)) return false;
  }
  return true;
}

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (depth === 0 && !Array.isArray(value) && !(value instanceof Error) && isClean(value)) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) ? REDACTED : redactSecrets(v, depth + 1);
  }
  return out;
}

export interface LoggerOptions {
  level: string;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'deskpulse' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactSecrets(obj) as Record<string, unknown>,
      },
    },
    options.destination,
  );
}

/**
 * stderr for a long-running process (`serve`, `worker`). The lines of one turn of the event loop are written
 * together, synchronously, once the turn's work is done: one `write(2)` a turn rather than one a line (a file or a
 * pipe makes Node's own stderr write each line on its own, which bench/api showed as the largest single cost of a
 * request), and nothing is ever in flight. pino's asynchronous SonicBoom was tried: it appends each line to a string
 * it then measures, flattening the growing string on every line, and a write it has handed to libuv's thread pool
 * is lost when the process exits first (the exit handler cannot tell whether it ran). Pinned to one core, 300,000
 * access lines cost 7.6–7.8 µs a line and 500 young-generation collections asynchronously line by line, 4.7–5.2 µs
 * and about 70 written a turn at a time. What the current turn holds is written when the process exits, also on
 * an uncaught exception; only a SIGKILL loses it. https://getpino.io/#/docs/asynchronous
 */
export function bufferedStderr(): pino.DestinationStream {
  const destination = pino.destination({ dest: 2, sync: true });
  const lines: string[] = [];
  let scheduled = false;
  const write = () => {
    scheduled = false;
    if (lines.length === 0) return;
    const text = lines.join('');
    lines.length = 0;
    destination.write(text);
  };
  process.once('exit', () => {
    write();
    destination.flushSync();
  });
  return {
    write(line: string) {
      lines.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(write);
      }
    },
  };
}
