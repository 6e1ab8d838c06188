/**
 * Benchmark runner: `npm run bench` runs every benchmark, `npm run bench -- <name> […]` the named ones,
 * `npm run bench -- --list` lists them. `BENCH_SCALE=0.05` shrinks the data sizes for a quick run.
 * Each benchmark prints one `BENCH <name> ratio=<service/baseline> …` line on stdout; progress goes to stderr.
 *
 * To add a benchmark: write `bench/<name>.bench.ts` exporting a `Bench` and add it to BENCHES below.
 */
import { attendanceMarksBench } from './attendance-marks.bench';
import { certificatesBench } from './certificates.bench';
import { claimsBench } from './claims.bench';
import { benchScale, type Bench } from './lib';
import { rollcallBench } from './rollcall.bench';
import { sessionPageBench } from './session-page.bench';
import { slotsBench } from './slots.bench';
import { syncBench } from './sync.bench';
import { traineeSearchBench } from './trainee-search.bench';
import { verifyBench } from './verify.bench';

/** The static list, in run order. */
export const BENCHES: readonly Bench[] = [slotsBench, sessionPageBench, attendanceMarksBench, rollcallBench, verifyBench, syncBench, traineeSearchBench, certificatesBench, claimsBench];

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--list') || argv.includes('-l')) {
    for (const b of BENCHES) console.log(`${b.name}\t${b.description}`);
    return 0;
  }
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${BENCHES.map((b) => b.name).join(', ')}.`);
    return 2;
  }
  const selected = names.length === 0 ? BENCHES : BENCHES.filter((b) => names.includes(b.name));
  process.stderr.write(`bench: ${selected.map((b) => b.name).join(', ')} (BENCH_SCALE=${benchScale()})\n`);
  for (const b of selected) {
    const t0 = performance.now();
    const line = await b.run();
    console.log(line);
    process.stderr.write(`[${b.name}] done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
