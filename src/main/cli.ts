import { runCli } from "../cli/program";
import { processIo } from "../cli/runtime";
import { registerServeCommand } from "./serve.command";

process.exitCode = await runCli(process.argv.slice(2), processIo, process.env, [registerServeCommand]);
