import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The sites the notes download (s4-31, s4-32), served by a local server instead of the internet. */
export const siteNames = [
  'www.baidu.com',
  'www.python.org',
  'www.douban.com',
  'www.sina.com.cn',
  'www.163.com',
  'www.qq.com',
  'www.taobao.com',
];

export interface LocalHttpServer {
  /** `http://127.0.0.1:<port>/<site>` for each of `sites`. */
  urls: string[];
  /** How many requests the server has answered. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on 127.0.0.1 (a free port) answering `GET /<site>` with a small HTML page that
 * names the site, so the download examples run with no network. Each answer is sent in two chunks a
 * few milliseconds apart, like a real page arriving over a network.
 */
export async function startLocalHttpServer(sites: string[]): Promise<LocalHttpServer> {
  let answered = 0;
  const server = createServer((request, response) => {
    const site = decodeURIComponent((request.url ?? '/').slice(1));
    if (!sites.includes(site)) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    answered++;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.write(`<!doctype html>\n<html><head><title>${site}</title></head>\n`);
    setTimeout(
      () => response.end(`<body><h1>${site}</h1><p>${'lorem ipsum '.repeat(100)}</p></body></html>\n`),
      10,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urls: sites.map((site) => `http://127.0.0.1:${port}/${site}`),
    requests: () => answered,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
