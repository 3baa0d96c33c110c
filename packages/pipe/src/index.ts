export { Connection, type RecvOptions } from './connection.js';
export { BrokenPipeError, EOFError, OSError, TimeoutError, ValueError } from './errors.js';
export { type ConnectionHandle, connectionFromHandle, connectionToHandle } from './handle.js';
export { Pipe, type PipeOptions } from './pipe.js';
