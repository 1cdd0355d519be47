/** What an agent does with its own token: `client.agent.me()`, `.rotateSecret()` … */
import { fields } from "../call.js";
import { type Agent, type AgentRotated, type AgentUsage, parseAgentEnvelope, parseAgentRotated, parseAgentUsage } from "../models/agents.js";
import { type Deleted, parseDeleted } from "../models/common.js";
import { type UserInfo, parseUserInfo } from "../models/tokens.js";
import type { Transport } from "../transport.js";

export class SelfService {
  constructor(private readonly transport: Transport) {}

  /** The calling agent. */
  me(): Promise<Agent> {
    return this.transport.send({ method: "GET", path: "/api/agents/me", parse: parseAgentEnvelope, auth: "agent" });
  }

  /** The calling agent's usage counters. */
  usage(): Promise<AgentUsage> {
    return this.transport.send({ method: "GET", path: "/api/agents/me/usage", parse: parseAgentUsage, auth: "agent" });
  }

  /** `/oauth/userinfo`: the agent's profile as OAuth clients read it. */
  userinfo(): Promise<UserInfo> {
    return this.transport.send({ method: "GET", path: "/oauth/userinfo", parse: parseUserInfo, auth: "agent" });
  }

  /**
   * Rotates the agent's own secret. The client switches to the new secret at once and drops its
   * cached tokens; keep `result.clientSecret` for the next start. Without a grace period the old
   * secret and every token issued with it stop working now.
   */
  rotateSecret(options: { gracePeriodSeconds?: number } = {}): Promise<AgentRotated> {
    return this.transport.send({
      method: "POST", path: "/api/agents/me/rotate", parse: parseAgentRotated, auth: "agent",
      json: fields({ grace_period_seconds: options.gracePeriodSeconds }),
      after: (rotated) => this.transport.state.replaceSecret(rotated.clientSecret),
    });
  }

  /** Deactivates the agent: its tokens stop working; `reactivate()` undoes it. */
  deactivate(): Promise<Agent> {
    return this.transport.send({ method: "POST", path: "/api/agents/me/deactivate", parse: parseAgentEnvelope, auth: "agent" });
  }

  /**
   * Undoes the agent's own deactivation, authenticating with its client credentials (an agent an
   * administrator deactivated stays so).
   */
  reactivate(): Promise<Agent> {
    return this.transport.send({ method: "POST", path: "/api/agents/me/reactivate", parse: parseAgentEnvelope, auth: "client" });
  }

  /** Deletes the agent for good. */
  delete(): Promise<Deleted> {
    return this.transport.send({ method: "DELETE", path: "/api/agents/me", parse: parseDeleted, auth: "agent" });
  }
}
