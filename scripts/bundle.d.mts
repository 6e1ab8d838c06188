export const ROOT: string;
export const OUT_DIR: string;
export function ensureBundle(entry: string, options?: { name?: string; outDir?: string; cwd?: string }): Promise<{ file: string; rebuilt: boolean }>;
