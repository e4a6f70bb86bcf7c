/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// During `npm run dev`, point HOOKLENS_UI at a running `hooklens serve` UI origin
// (e.g. http://127.0.0.1:8788) to proxy /api to it.
const ui = process.env.HOOKLENS_UI;

export default defineConfig({
  plugins: [svelte()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: ui ? { proxy: { '/api': { target: ui, changeOrigin: true } } } : undefined,
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.spec.ts'],
    setupFiles: ['src/test-setup.ts'],
  },
});
