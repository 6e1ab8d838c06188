export const RENDERER_INPUTS: string[];
export function newestMtime(path: string): number;
export function rendererBuildIsFresh(root?: string): boolean;
export function markRendererBuilt(startedAt: number, root?: string): void;
