import type { ServerResponse } from 'node:http';

/**
 * The pages listening on /events (Server-Sent Events): one stream each,
 * every message written to all of them. A page that goes away is forgotten.
 */
export class EventStreams {
  #clients = new Set<ServerResponse>();

  get size(): number {
    return this.#clients.size;
  }

  /** Opens a stream on `response`; `first` writes what a new page needs at once. */
  open(response: ServerResponse, first: (send: (event: string, data: string) => void) => void): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // Tell the browser how soon to reconnect when the stream breaks (the main process restarted...).
    response.write('retry: 1000\n\n');
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
    first((event, data) => write(response, event, data));
  }

  /** Sends one event to every page. */
  broadcast(event: string, data: string): void {
    for (const client of this.#clients) write(client, event, data);
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }
}

function write(response: ServerResponse, event: string, data: string): void {
  response.write(`event: ${event}\ndata: ${data}\n\n`);
}
