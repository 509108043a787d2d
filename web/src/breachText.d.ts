// Types of breachText.js (plain JavaScript so that node's test runner loads it as it is).
import type { Breach } from "./api";

export interface Countdown {
  past: boolean;
  hours: number;
  minutes: number;
}

export function breachCountdown(deadlineAt: string, now: number): Countdown;

export interface FormTextOptions {
  t: (key: string) => string;
  time: (iso: string) => string;
  number: (value: number) => string;
  memberName: string;
}

export function apFormText(breach: Breach, options: FormTextOptions): string;

export const kNatures: readonly ["confidentiality", "integrity", "availability"];
export const kRisks: readonly ["none", "risk", "high_risk"];
