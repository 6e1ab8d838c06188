import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Backend } from '../electron/backend/backend';
import type { MethodInput, MethodName, MethodOutput } from '../shared/contract';

/** One benchmark: `run` does its own setup and cleanup and resolves to its single `BENCH …` line. */
export interface Bench {
  name: string;
  /** One line shown by `npm run bench -- --list`. */
  description: string;
  run(): Promise<string>;
}

/** Size multiplier from `BENCH_SCALE` (default 1): `BENCH_SCALE=0.05 npm run bench` for a quick run. */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`BENCH_SCALE must be a positive number, got "${raw}".`);
  return n;
}

/** `n` scaled by BENCH_SCALE, never below `min`. */
export function scaled(n: number, min = 1): number {
  return Math.max(min, Math.round(n * benchScale()));
}

/** A fresh folder under the OS temp dir, removed by `cleanup` (idempotent). */
export function tempDir(label: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `sillon-bench-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const now = (): number => performance.now();

/** Wall time of `fn` in ms. */
export async function timeIt(fn: () => unknown): Promise<number> {
  const t0 = now();
  await fn();
  return now() - t0;
}

/** Nearest-rank percentile (p in 0..100) of a sample. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function fmt(v: number | string): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/** `BENCH <name> ratio=<x> key=value …` — the one line each benchmark prints; ratio = service / baseline, lower is better. */
export function benchLine(name: string, ratio: number, figures: Record<string, number | string>): string {
  const parts = [`BENCH ${name}`, `ratio=${ratio.toFixed(2)}`];
  for (const [k, v] of Object.entries(figures)) parts.push(`${k}=${fmt(v)}`);
  return parts.join(' ');
}

/** Progress / diagnostic output, on stderr so stdout keeps only the BENCH lines. */
export function note(name: string, message: string): void {
  process.stderr.write(`[${name}] ${message}\n`);
}

/** Calls a method through the backend's real dispatch (validation, permission, output check); throws on an error result. */
export async function call<M extends MethodName>(backend: Backend, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const r = await backend.dispatch(method, input);
  if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
  return r.value as MethodOutput<M>;
}

export interface Latencies {
  p50: number;
  p95: number;
  baselineP50: number;
  baselineP95: number;
}

/**
 * Latency of a service call against its baseline: `warmup` rounds unmeasured, then `iterations` rounds
 * alternating which side goes first, so neither always runs right after the other (caches, GC).
 */
export async function alternatingLatencies(service: () => Promise<unknown>, baseline: () => unknown, iterations: number, warmup: number): Promise<Latencies> {
  for (let i = 0; i < warmup; i++) {
    await service();
    baseline();
  }
  const serviceMs: number[] = [];
  const baselineMs: number[] = [];
  const runService = async () => {
    const a = now();
    await service();
    serviceMs.push(now() - a);
  };
  const runBaseline = () => {
    const a = now();
    baseline();
    baselineMs.push(now() - a);
  };
  for (let i = 0; i < iterations; i++) {
    if (i % 2 === 0) {
      await runService();
      runBaseline();
    } else {
      runBaseline();
      await runService();
    }
  }
  return { p50: percentile(serviceMs, 50), p95: percentile(serviceMs, 95), baselineP50: percentile(baselineMs, 50), baselineP95: percentile(baselineMs, 95) };
}
