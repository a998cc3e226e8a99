import type { Bus, JsonValue } from "../bus/index.ts";
import type { PolicyRole } from "../events/index.ts";
import { type HostedWorker, hostWorker as hostWorkerOnBus } from "./host-worker.ts";
import {
  decodeMessage,
  encodeMessage,
  GenerateMessage,
  GenerateReply,
  MalformedMessageError,
  RenderMessage,
  RenderReply,
  UpdateMessage,
  UpdateReply,
} from "./messages.ts";
import type { LoopServices } from "./ports.ts";
import type { ModelService } from "./services/model-service.ts";
import type { RenderService } from "./services/render-service.ts";

/** Bus subjects of the work the actors serve; a worker process serves any subset of them. */
export const workSubjects = {
  generate: (role: PolicyRole) => `mmzero.work.generate.${role}`,
  update: "mmzero.work.update",
  render: "mmzero.work.render",
} as const;

export const workerRoles = ["proposer", "coder", "solver", "trainer", "render"] as const;
export type WorkerRole = (typeof workerRoles)[number];

/** Parses a comma-separated role list (`none` for no roles when allowed); an unknown role is an error. */
export function parseWorkerRoles(text: string, options: { readonly allowNone?: boolean } = {}): WorkerRole[] {
  if (options.allowNone && text.trim() === "none") return [];
  const roles = text
    .split(",")
    .map((role) => role.trim())
    .filter((role) => role !== "");
  const known = new Set<string>(workerRoles);
  const unknown = roles.filter((role) => !known.has(role));
  if (unknown.length > 0 || roles.length === 0) {
    throw new Error(`roles must be a comma-separated list of ${workerRoles.join(", ")}; got "${text}"`);
  }
  return workerRoles.filter((role) => roles.includes(role));
}

/** Why: a chunk is one request's worth of rows; smaller chunks let several workers share a phase. */
export const generationChunkRows = 64;
export const renderChunkOutputs = 32;

/**
 * Hosts the Proposer, Coder, Solver (sampling), Trainer (updates) and Renderer actors on the bus.
 * Each is an XState worker actor with its own bounded mailbox; every message is schema-decoded
 * before it reaches a model.
 */
export function hostActors(
  bus: Bus,
  services: { readonly model?: ModelService; readonly render?: RenderService },
  roles: readonly WorkerRole[],
): HostedWorker[] {
  const hosted: HostedWorker[] = [];
  // A refused message is set aside with its reason; the actor goes on serving the next one.
  const hostWorker = (subject: string, perform: (message: JsonValue) => Promise<JsonValue>) =>
    hostWorkerOnBus(bus, subject, async (message) => {
      try {
        return await perform(message);
      } catch (error) {
        if (error instanceof MalformedMessageError)
          await bus.deadLetter({ subject, reason: error.reason, message });
        throw error;
      }
    });
  for (const role of roles) {
    if (role === "render") {
      const render = services.render;
      if (render === undefined) throw new Error("the render role needs a render service");
      hosted.push(
        hostWorker(workSubjects.render, async (message) =>
          encodeMessage(
            RenderReply,
            await render.render(decodeMessage(RenderMessage, workSubjects.render, message)),
          ),
        ),
      );
      continue;
    }
    const model = services.model;
    if (model === undefined) throw new Error(`the ${role} role needs a model service`);
    if (role === "trainer") {
      hosted.push(
        hostWorker(workSubjects.update, async (message) =>
          encodeMessage(
            UpdateReply,
            await model.update(decodeMessage(UpdateMessage, workSubjects.update, message)),
          ),
        ),
      );
      continue;
    }
    const subject = workSubjects.generate(role);
    hosted.push(
      hostWorker(subject, async (message) => {
        const decoded = decodeMessage(GenerateMessage, subject, message);
        if (decoded.role !== role) throw new Error(`a ${decoded.role} request reached the ${role} actor`);
        return encodeMessage(GenerateReply, await model.generate(decoded));
      }),
    );
  }
  return hosted;
}

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * The loop's services as bus requests. Large batches are split into chunks sent concurrently, so
 * several workers on a subject share them; replies are reassembled in request order, which is why
 * the result never depends on which worker answered first.
 */
export function busLoopServices(bus: Bus): LoopServices {
  return {
    async generate(role, policy, requests) {
      const subject = workSubjects.generate(role);
      const replies = await Promise.all(
        chunks(requests, generationChunkRows).map(async (chunk) =>
          decodeMessage(
            GenerateReply,
            subject,
            await bus.request(subject, encodeMessage(GenerateMessage, { role, policy, requests: chunk })),
          ),
        ),
      );
      return replies.flatMap((reply) => reply.generations);
    },
    async update(request) {
      return decodeMessage(
        UpdateReply,
        workSubjects.update,
        await bus.request(workSubjects.update, encodeMessage(UpdateMessage, request)),
      );
    },
    async render(outputs, size) {
      const replies = await Promise.all(
        chunks(outputs, renderChunkOutputs).map(async (chunk) =>
          decodeMessage(
            RenderReply,
            workSubjects.render,
            await bus.request(workSubjects.render, encodeMessage(RenderMessage, { outputs: chunk, size })),
          ),
        ),
      );
      return replies.flatMap((reply) => reply.results);
    },
  };
}
