// Types of inventory.js (plain JavaScript so that node's test runner loads it as it is).
import type { Asset } from "./api";

export function countCsvRecords(text: string): number;
export function withVersion(asset: Asset, version: string): Asset;
export function inventoryCsv(assets: readonly Asset[], language: "nl" | "en"): string;
export function inventoryTemplate(language: "nl" | "en"): string;
