import { defineConfig } from '@playwright/test';

/**
 * End-to-end and integration tests: each test file starts its own real server
 * (tests/support/server.ts) on a free loopback port and launches Debian's
 * Chromium itself (tests/support/browser.ts), because a camera's fake capture
 * file is fixed per browser process.
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: ['e2e/**/*.spec.ts', 'integration/**/*.spec.ts', 'security/**/*.spec.ts'],
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['github']] : 'list',
  use: { trace: 'off' },
});
