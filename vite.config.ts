/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { precompress } from './scripts/lib/vite-precompress.ts';

export default defineConfig({
  root: 'client',
  plugins: [solid(), precompress()],
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: false },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    // vite-plugin-solid would default to jsdom; component tests opt into happy-dom per file.
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
    // Browser pages draw slowly on a busy 2-core machine: polled expectations get time to settle.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['tests/global-setup.ts'],
  },
});
