// Types of overlap.js (plain JavaScript so that node's test runner loads it as it is).
import type { ClaimKind } from "./api";

export type OverlapEffect = "narrower" | "wider" | "same";
export function overlapEffect(kind: ClaimKind, claimed: string, other: string): OverlapEffect;
