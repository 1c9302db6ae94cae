import { defineConfig } from '@playwright/test';
import { CHROMIUM, chromiumArgs, webgpuArgs } from './e2e/fixtures/chromium';

/**
 * Real Debian Chromium (never a downloaded browser) against the real server with real
 * models. Each Playwright worker gets its own server process from e2e/fixtures (so a test
 * can stop it); WebGPU runs on SwiftShader, which is correct but slow: tests use tiny images.
 * One worker: the machine has two cores and the server's inference needs one of them.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/playwright.json' }],
    ['html', { outputFolder: 'playwright-report', open: 'never' }],
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    // The app's service worker answers requests page.route() never sees, and would serve one
    // test's cached app to the next: blocked everywhere but e2e/offline.spec.ts, which allows it.
    serviceWorkers: 'block',
    // The user setting for less motion, as on many machines: a server run's spinner would make
    // headless Chromium composite every frame in software, a core of CI's two that the server's
    // inference child needs (a run in the browser never animates: features/run/busy-motion.ts).
    contextOptions: { reducedMotion: 'reduce' },
    launchOptions: { executablePath: CHROMIUM, args: [...chromiumArgs, ...webgpuArgs] },
  },
});
