import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const outDir = fileURLToPath(new URL('./dist/renderer/', import.meta.url));

// tsc also writes into dist/renderer/src/ (the renderer's pure modules, which
// the unit tests import, compiled by tsconfig.json). Emptying the whole
// outDir would delete them behind tsc's incremental build info, so only
// Vite's own outputs are removed before a build.
function cleanViteOutputs(): Plugin {
  return {
    name: 'modus-clean-vite-outputs',
    apply: 'build',
    buildStart() {
      for (const name of ['assets', 'index.html']) rmSync(outDir + name, { recursive: true, force: true });
    },
  };
}

// The renderer is one static bundle served by both hosts: Electron's app://
// protocol and `modus serve`. Relative base so it works under either origin.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [cleanViteOutputs()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: false,
    sourcemap: true,
    target: 'es2022',
    // The notebook chunk is Monaco (about 3.4 MB minified), loaded only when a notebook opens.
    chunkSizeWarningLimit: 4096,
  },
});
