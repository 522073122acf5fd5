import type { Linter } from "eslint";

/** Per folder of src/, the folders it may import values from (null: anything, the composition root). */
export declare const allowedImports: Record<string, readonly string[] | null>;
/** One ESLint config object per folder, enforcing `allowedImports`. */
export declare function layerRules(): Linter.Config[];
