/** A webhook receiver on the loopback interface that records what it is sent. */
import { createServer } from "node:http";

export class Receiver {
  readonly received: { headers: Record<string, unknown>; body: unknown }[] = [];
  private constructor(readonly url: string, private readonly close: () => Promise<void>) {}

  /** Answers every request with 204 and keeps its headers and JSON body. */
  static start(): Promise<Receiver> {
    return new Promise((done) => {
      let receiver: Receiver;
      const server = createServer((request, response) => {
        const chunks: Uint8Array[] = [];
        request.on("data", (chunk) => chunks.push(chunk));
        request.on("end", () => {
          const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((chunk) => [...chunk])));
          receiver.received.push({ headers: request.headers, body: text ? JSON.parse(text) : null });
          response.writeHead(204);
          response.end();
        });
      });
      server.listen(0, "127.0.0.1", () => {
        receiver = new Receiver(`http://127.0.0.1:${server.address().port}/hooks`, () => new Promise((closed) => server.close(() => closed())));
        done(receiver);
      });
    });
  }

  stop(): Promise<void> {
    return this.close();
  }
}
