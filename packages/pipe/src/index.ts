export { Pipe, type PipeOptions } from './pipe.js';
export { Connection, type RecvOptions } from './connection.js';
export { connectionToHandle, connectionFromHandle, type ConnectionHandle } from './handle.js';
export { EOFError, OSError, BrokenPipeError, TimeoutError, ValueError } from './errors.js';
