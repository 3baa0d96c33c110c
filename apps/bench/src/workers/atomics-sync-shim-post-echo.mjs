// Sends every message straight back: the postMessage round trip anchor.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (message) => {
  if (message === 'stop') parentPort.close();
  else parentPort.postMessage(message);
});
