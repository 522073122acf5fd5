import { runCli } from "../cli/program";
import { processIo } from "../cli/runtime";

process.exitCode = await runCli(process.argv.slice(2), processIo);
