import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Platform fakes open real sockets on 127.0.0.1; give slow shared machines room.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
