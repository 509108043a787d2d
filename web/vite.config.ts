import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import type { Plugin } from "vite";
import react from "@vitejs/plugin-react";

// The Shadowserver report types the program knows: the same schema it compiles in
// (data/shadowserver/intelmq.json), cut down at build time to names, so that the upload page
// offers exactly what the server accepts without shipping the 700 kB schema to the browser.
function shadowserverReports(): Plugin {
  const id = "virtual:shadowserver-reports";
  const schemaFile = fileURLToPath(new URL("../data/shadowserver/intelmq.json", import.meta.url));
  const namesFile = fileURLToPath(new URL("../i18n/feeds.json", import.meta.url));
  return {
    name: "baken-shadowserver-reports",
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      this.addWatchFile(schemaFile);
      const schema = JSON.parse(readFileSync(schemaFile, "utf8")) as Record<string, { file_name?: string; feed_name?: string }>;
      this.addWatchFile(namesFile);
      const names = JSON.parse(readFileSync(namesFile, "utf8")) as Record<string, { nl?: string; en?: string }>;
      const reports = Object.entries(schema)
        .filter(([key]) => key !== "_meta")
        .map(([key, spec]) => ({ name: spec.file_name ?? key, feed: spec.feed_name ?? "" }))
        .sort((a, b) => a.name.localeCompare(b.name));
      // Every report type is shown by its name in the reader's language (labels.ts): the build
      // stops when the schema gains a report that i18n/feeds.json does not name in both.
      const unnamed = reports.filter((report) => !names[report.feed]?.nl || !names[report.feed]?.en);
      if (unnamed.length > 0) {
        throw new Error(`i18n/feeds.json has no Dutch and English name for: ${unnamed.map((r) => r.feed).join(", ")}`);
      }
      return `export default ${JSON.stringify(reports)};`;
    },
  };
}

// The built portal goes to web/dist, which `baken serve` mounts at "/" (--web-root). The
// server's Content-Security-Policy allows no inline script or style, so nothing is inlined.
export default defineConfig({
  plugins: [react(), shadowserverReports()],
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
