// Compresses the built portal once, at build time: a Brotli (.br) and a gzip (.gz) copy beside
// each text file, which `baken serve` sends as they are to browsers that take them
// (src/http/server.cc ServePortalFile). Compressing on every request cost up to a second per
// file at Brotli's best level; done here it costs nothing at serving time. Fonts (woff2) and
// images are compressed already and are left alone.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const kCompressible = /\.(js|mjs|css|html|svg|json|txt|ico|map)$/;
const kMinimumBytes = 1024; // below this the headers outweigh what is saved

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const dist = resolve(process.argv[2] ?? "dist");
let count = 0;
for (const path of files(dist)) {
  if (!kCompressible.test(path)) continue;
  const data = readFileSync(path);
  if (data.length < kMinimumBytes) continue;
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  );
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  count += 1;
}
console.log(`precompress: ${count} files in ${dist} have a .br and a .gz copy`);
