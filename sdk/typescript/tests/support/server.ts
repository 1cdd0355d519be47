/** Runs the real machineauth binary for the tests: a free port, a temporary directory, a chosen configuration. */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MachineAuthClient } from "../../dist/index.js";

/** The repository root, from the compiled tests in sdk/typescript/build/support/. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const configured = process.env.MACHINEAUTH_BINARY;
export const BINARY = configured ? (isAbsolute(configured) ? configured : resolve(process.cwd(), configured)) : join(REPO, ".build", "debug", "machineauth");
export const ADMIN_EMAIL = "admin@example.com";
export const ADMIN_PASSWORD = "sdk-tests-password";

/** A port the kernel just handed out. */
export function freePort(): Promise<number> {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** The repository's default configuration with `section.key` settings replaced or added. */
export function configFile(directory: string, settings: Record<string, string>, extra = ""): string {
  let lines = readFileSync(join(REPO, "config", "machineauth.yaml"), "utf8").split("\n");
  for (const [dotted, value] of Object.entries(settings)) {
    const [section, key] = dotted.split(".") as [string, string];
    const start = lines.indexOf(`${section}:`);
    let end = lines.findIndex((line, index) => index > start && line !== "" && !line.startsWith(" "));
    if (end < 0) end = lines.length;
    const at = lines.findIndex((line, index) => index > start && index < end && line.trim().startsWith(`${key}:`));
    if (at >= 0) lines[at] = `  ${key}: ${value}`;
    else lines = [...lines.slice(0, start + 1), `  ${key}: ${value}`, ...lines.slice(start + 1)];
  }
  const path = join(directory, "machineauth.yaml");
  writeFileSync(path, lines.join("\n") + extra);
  return path;
}

export interface ServerOptions {
  env?: Record<string, string>;
  /** `section.key` settings of the configuration file (none: the embedded default). */
  config?: Record<string, string>;
  /** YAML appended to the configuration file. */
  extraConfig?: string;
}

/** One machineauth process; `stop()` ends it with SIGTERM. */
export class Server {
  private constructor(readonly base: string, private readonly stopProcess: () => Promise<void>, readonly logPath: string) {}

  static async start(options: ServerOptions = {}): Promise<Server> {
    const directory = mkdtempSync(join(tmpdir(), "machineauth-sdk-ts-"));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith("MACHINEAUTH_") && !name.startsWith("JWT_") && !["PORT", "DATABASE_URL", "ENV", "ISSUER"].includes(name)) env[name] = value;
    }
    Object.assign(env, {
      PORT: String(port), HOST: "127.0.0.1", ADMIN_EMAIL, ADMIN_PASSWORD, ISSUER: base, LOG_LEVEL: "warning",
      MACHINEAUTH_CONFIG: options.config ? configFile(directory, options.config, options.extraConfig) : "",
    }, options.env);
    const logPath = join(directory, "server.log");
    const log = openSync(logPath, "w");
    const child = spawn(BINARY, [], { cwd: directory, env, stdio: ["ignore", log, log] });
    closeSync(log);
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`machineauth exited: ${readFileSync(logPath, "utf8")}`);
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        if (Date.now() > deadline) throw new Error(`machineauth did not start: ${readFileSync(logPath, "utf8")}`);
        await new Promise((wait) => setTimeout(wait, 50));
      }
    }
    return new Server(base, async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    }, logPath);
  }

  stop(): Promise<void> {
    return this.stopProcess();
  }

  /** An owner session on this server. */
  async admin(): Promise<MachineAuthClient> {
    const client = new MachineAuthClient(this.base);
    await client.admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    return client;
  }
}

let names = 0;
/** A name no other test of this process uses. */
export const unique = (prefix: string) => `${prefix}-${++names}-${Math.random().toString(36).slice(2, 6)}`;
