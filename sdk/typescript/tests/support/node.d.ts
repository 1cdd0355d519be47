/**
 * The slice of Node's API the tests use. There is no npm registry here to bring `@types/node`, and
 * the SDK itself uses none of Node: only the tests (which start the server) need these.
 */
declare module "node:test" {
  type Body = () => void | Promise<void>;
  export function describe(name: string, body: Body): void;
  export function test(name: string, body: Body): void;
  export function test(name: string, options: { timeout?: number }, body: Body): void;
  export function before(body: Body, options?: { timeout?: number }): void;
  export function after(body: Body): void;
}

declare module "node:assert/strict" {
  interface Assert {
    (value: unknown, message?: string): asserts value;
    ok(value: unknown, message?: string): asserts value;
    equal<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    notEqual(actual: unknown, expected: unknown, message?: string): void;
    deepEqual<T>(actual: unknown, expected: T, message?: string): asserts actual is T;
    match(value: string, pattern: RegExp, message?: string): void;
    rejects(promise: Promise<unknown> | (() => Promise<unknown>), expected?: object | ((error: unknown) => boolean), message?: string): Promise<void>;
    throws(body: () => unknown, expected?: object | ((error: unknown) => boolean), message?: string): void;
  }
  const assert: Assert;
  export default assert;
}

declare module "node:child_process" {
  interface ChildProcess {
    readonly exitCode: number | null;
    kill(signal?: string): boolean;
    once(event: "exit", listener: (code: number | null) => void): this;
  }
  export function spawn(command: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; stdio?: unknown[] }): ChildProcess;
}

declare module "node:fs" {
  export function mkdtempSync(prefix: string): string;
  export function writeFileSync(path: string, data: string): void;
  export function rmSync(path: string, options?: { force?: boolean }): void;
  export function readFileSync(path: string, encoding: "utf8"): string;
  export function openSync(path: string, flags: string): number;
  export function closeSync(fd: number): void;
}

declare module "node:os" {
  export function tmpdir(): string;
}

declare module "node:path" {
  export function join(...parts: string[]): string;
  export function resolve(...parts: string[]): string;
  export function dirname(path: string): string;
  export function isAbsolute(path: string): boolean;
}

declare module "node:url" {
  export function fileURLToPath(url: string): string;
}

declare module "node:net" {
  interface Server {
    listen(port: number, host: string, callback: () => void): this;
    address(): { port: number };
    close(callback?: () => void): this;
  }
  export function createServer(): Server;
}

declare module "node:http" {
  interface IncomingMessage {
    url?: string;
    headers: Record<string, string | string[] | undefined>;
    on(event: "data", listener: (chunk: Uint8Array) => void): this;
    on(event: "end", listener: () => void): this;
  }
  interface ServerResponse {
    writeHead(status: number, headers?: Record<string, string>): this;
    end(data?: string): void;
  }
  interface Server {
    listen(port: number, host: string, callback: () => void): this;
    address(): { port: number };
    close(callback?: () => void): this;
  }
  export function createServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Server;
}

declare module "node:crypto" {
  interface KeyObject {
    export(options: { format: "jwk" }): JsonWebKey;
    export(options: { type: "pkcs8"; format: "pem" }): string;
  }
  export function generateKeyPairSync(type: "ec" | "ed25519" | "rsa", options?: { namedCurve?: string; modulusLength?: number }): { publicKey: KeyObject; privateKey: KeyObject };
  export function sign(algorithm: string | null, data: Uint8Array, key: KeyObject | { key: KeyObject; dsaEncoding?: "ieee-p1363" | "der" }): Uint8Array;
  export function verify(algorithm: string | null, data: Uint8Array, key: { key: JsonWebKey; format: "jwk"; dsaEncoding?: "ieee-p1363" | "der" }, signature: Uint8Array): boolean;
  export function createHash(name: "sha256"): { update(data: string): { digest(): Uint8Array } };
  export function randomUUID(): string;
}

declare const process: {
  env: Record<string, string | undefined>;
  cwd(): string;
};

interface ImportMeta {
  url: string;
}
