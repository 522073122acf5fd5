import { runCli } from "../cli/program";
import { processIo } from "../cli/runtime";

// `kith serve` (and the server it wires) is loaded only when it runs.
process.exitCode = await runCli(process.argv.slice(2), processIo, process.env, [
  { names: ["serve"], load: async () => (await import("./serve.command")).registerServeCommand },
]);
