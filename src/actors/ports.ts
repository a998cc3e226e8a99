import type { PolicyRole } from "../events/index.ts";
import type {
  GenerationMessage,
  GenerationRequestMessage,
  RenderResultMessage,
  UpdateMessage,
  UpdateReply,
} from "./messages.ts";

/**
 * What the loop needs from models, trainer and renderer. The requests and replies are the work
 * messages' own types (messages.ts: one schema per message, the types derive from it), so a
 * request served in this process and one sent to a worker on another machine are the same value.
 * A policy is named by its weight hash; images by the hash of their pixels (blobs in the run's store).
 */
export interface LoopServices {
  generate(
    role: PolicyRole,
    policy: string,
    requests: readonly GenerationRequestMessage[],
  ): Promise<readonly GenerationMessage[]>;
  update(request: UpdateMessage): Promise<UpdateReply>;
  render(modelOutputs: readonly string[], size: number): Promise<readonly RenderResultMessage[]>;
}
