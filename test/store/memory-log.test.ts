/** Runs the EventLog contract against the in-memory adapter. */
import { openMemoryLog } from "../../src/store/index.ts";
import { runEventLogContract } from "./contract.ts";

runEventLogContract("memory", async () => openMemoryLog("memory-contract-run"));
