import { defineConfig } from 'vitest/config';

// End-to-end: the built renderer in Debian's Chromium (playwright-core) against the bridge on 127.0.0.1.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The UI answers through a real backend: give polled assertions time on slow machines.
    expect: { poll: { timeout: 10_000 } },
  },
});
