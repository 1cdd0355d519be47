/** A `fetch` that counts what it sends (by `"METHOD /path"`) and logs the answers, still hitting the real server. */
import type { Fetch } from "../../dist/index.js";

export class CountingFetch {
  readonly log: [string, number][] = [];

  readonly fetch: Fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request);
    this.log.push([`${request.method} ${new URL(request.url).pathname}`, response.status]);
    return response;
  };

  count(line: string): number {
    return this.log.filter(([sent]) => sent === line).length;
  }

  clear(): void {
    this.log.length = 0;
  }
}
