import { defineConfig } from 'vite';

// The renderer is one static bundle served by both hosts: Electron's app://
// protocol and `modus serve`. Relative base so it works under either origin.
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2048,
  },
});
