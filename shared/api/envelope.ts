/** Errors cross every adapter boundary as data, never as lost exceptions (Signal Desktop's envelopes). */
export interface ApiError {
  /** Stable machine code, e.g. 'invalid_args', 'not_found', 'import_refused'. */
  code: string;
  /** Human message, Chinese first where the user sees it. */
  message: string;
  /** Structured details, e.g. the row-precise list of import problems. */
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Thrown by services; the dispatcher turns it into `{ ok: false, error }`. */
export class DeskError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}
