#!/usr/bin/env node
// Entry point for `npx kith` from the checkout: TypeScript runs through tsx's loader.
import { register } from "tsx/esm/api";

register();
await import("../src/main/cli.ts");
