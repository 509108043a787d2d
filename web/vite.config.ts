import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The built portal goes to web/dist, which `baken serve` mounts at "/" (--web-root). The
// server's Content-Security-Policy allows no inline script or style, so nothing is inlined.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // One bundle for the whole portal (React and the NL Design System components, ~160 kB
    // gzipped): members open it rarely, and one file keeps the CSP and caching simple.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
});
