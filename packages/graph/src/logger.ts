/** The logging surface the Graph client needs; `createLogger` of @entra-ingest/config satisfies it (and masks secrets). */
export interface GraphLogger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const noopLogger: GraphLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
