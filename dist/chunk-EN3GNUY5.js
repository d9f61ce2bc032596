// src/lib/logger.ts
import pino from 'pino';
var SECRET_KEY =
  /(authorization|cookie|token|secret|password|passwd|api[-_]?key|^key$|private[-_]?key|client[-_]?secret|code_verifier)/i;
var REDACTED = '[redacted]';
function redactSecrets(value, depth = 0) {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  if (value instanceof Error) {
    return { type: value.name, message: value.message, stack: value.stack };
  }
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) ? REDACTED : redactSecrets(v, depth + 1);
  }
  return out;
}
function createLogger(options) {
  return pino(
    {
      level: options.level,
      base: { service: 'deskpulse' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactSecrets(obj),
      },
    },
    options.destination,
  );
}

export { createLogger };
//# sourceMappingURL=chunk-EN3GNUY5.js.map
