// Sends every message straight back on its weft Connection (recvSync), until EOF.

import { workerData } from 'node:worker_threads';
import { connectionFromHandle, EOFError } from '@weft/pipe';

const connection = connectionFromHandle(workerData.conn);
for (;;) {
  let message;
  try {
    message = connection.recvSync();
  } catch (error) {
    if (error instanceof EOFError) break;
    throw error;
  }
  connection.send(message);
}
connection.close();
