import pino, { type Logger } from 'pino';

/**
 * One logger for the process. Request parameters are never logged; the redact list (every PII
 * field the families declare) is a second line of defence should one ever reach a log call.
 */
export function createLogger(level: string, piiFields: readonly string[] = []): Logger {
  const fields = [...piiFields, 'identity_param', 'biz_content', 'sign', 'privateKey'];
  return pino({
    level,
    base: { service: 'aopgate' },
    redact: { paths: [...fields.map((f) => `*.${f}`), ...fields], censor: '[masked]' },
  });
}

/**
 * The logger of the per-call line, whose fields are fixed and none of them PII (trace_id, method,
 * app_id, codes, latency): the redaction pass (~7 µs a line) has nothing to find there.
 */
export const callLogger = (log: Logger): Logger => log.child({}, { redact: { paths: [] } });

/**
 * An exception as it may be logged: its type and stack frames, never its message, which could
 * quote request data (names, ID numbers).
 */
export function loggableError(e: unknown): { type: string; frames: string[] } {
  if (!(e instanceof Error)) return { type: typeof e, frames: [] };
  const frames = (e.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at '));
  return { type: e.constructor.name, frames: frames.slice(0, 12).map((l) => l.trim()) };
}
