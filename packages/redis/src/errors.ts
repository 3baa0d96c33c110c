/** A task was started `maxAttempts` times and each time its worker died (or lost Redis) before finishing. */
export class TaskLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskLostError';
  }
}

/** A function cannot be sent to Redis workers: it is not found as an export of a module under `root`. */
export class FunctionNotShippableError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'FunctionNotShippableError';
  }
}
