// Types of reportReference.js (plain JavaScript so that node's test runner loads it as it is).
export function reportIdFrom(text: string): number | null;
