import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**'],
    // No automatic retries: a flaky scenario is a finding.
    retry: 0,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Fleets are real processes; on a 2-core machine run test files one at a time.
    fileParallelism: false,
    // Inside a file, concurrent tests (only test/scenarios.test.ts has them): three fleets at a time.
    maxConcurrency: 3,
    pool: 'forks',
    setupFiles: ['allure-vitest/setup'],
    reporters: ['default', ['allure-vitest/reporter', { resultsDir: 'out/allure-results' }]],
  },
});
