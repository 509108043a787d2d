// Makes public/favicon.ico from public/favicon.svg, for the browsers and tools that ask for
// /favicon.ico without reading the page: the SVG drawn by Chromium at 16, 32 and 48 px, packed
// as PNGs in one .ico (which every browser since 2007 reads). Run from web/ after changing the
// SVG: node scripts/favicon-ico.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const kSizes = [16, 32, 48];
const svg = readFileSync("public/favicon.svg", "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const pngs = [];
for (const size of kSizes) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const sized = svg.replace("<svg ", `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0">${sized}</body></html>`);
  pngs.push(await page.screenshot({ omitBackground: true }));
  await page.close();
}
await browser.close();

// ICONDIR, then one ICONDIRENTRY per size, then the images.
const directory = Buffer.alloc(6);
directory.writeUInt16LE(1, 2); // type: icon
directory.writeUInt16LE(kSizes.length, 4);
let offset = directory.length + 16 * kSizes.length;
const entries = kSizes.map((size, index) => {
  const entry = Buffer.alloc(16);
  entry.writeUInt8(size, 0);
  entry.writeUInt8(size, 1);
  entry.writeUInt16LE(1, 4); // colour planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(pngs[index].length, 8);
  entry.writeUInt32LE(offset, 12);
  offset += pngs[index].length;
  return entry;
});
writeFileSync("public/favicon.ico", Buffer.concat([directory, ...entries, ...pngs]));
