// A Listener/Client client: sends [42, null, 'hello'] and waits for the echo, N times; reports
// round trips per second. Runs as a worker thread (workerData) or as a child process (argv).
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from '@weft/manager';

const { address, authkey, messages } = workerData ?? JSON.parse(process.argv[2]);
const conn = await Client(address, { authkey });
const message = [42, null, 'hello'];
for (let i = 0; i < 200; i++) {
  conn.send(message);
  await conn.recv();
}
const start = performance.now();
for (let i = 0; i < messages; i++) {
  conn.send(message);
  await conn.recv();
}
const rate = messages / ((performance.now() - start) / 1000);
conn.send(null);
conn.close();
if (parentPort) parentPort.postMessage(rate);
else console.log(JSON.stringify(rate));
