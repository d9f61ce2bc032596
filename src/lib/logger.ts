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
 * stderr for a long-running process (`serve`, `worker`): a file or a pipe makes Node's own stderr write each line
 * synchronously, which bench/api showed as the largest single cost of a request. pino's SonicBoom writes
 * asynchronously instead (https://getpino.io/#/docs/asynchronous). The lines of one turn of the event loop are
 * handed to it as one string: SonicBoom appends each line to a string it then measures, which flattens the
 * growing string on every line (quadratic in the lines waiting while a write is in flight). Pinned to one core,
 * 300,000 access lines cost 7.6–7.8 µs and 500 young-generation collections written one by one, 5.6–6.3 µs and 70
 * collections a turn at a time. What is waiting is written synchronously when the process exits (also on an
 * uncaught exception); only a SIGKILL can lose the lines of the last turn and of the write in flight.
 */
export function bufferedStderr(): pino.DestinationStream {
  const destination = pino.destination({ dest: 2, sync: false });
  const lines: string[] = [];
  let scheduled = false;
  const hand = () => {
    scheduled = false;
    if (lines.length === 0) return;
    const text = lines.join('');
    lines.length = 0;
    destination.write(text);
  };
  process.once('exit', () => {
    hand();
    destination.flushSync();
  });
  return {
    write(line: string) {
      lines.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(hand);
      }
    },
  };
}
