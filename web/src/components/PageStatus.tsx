// One status at a time per page: when one section reports what came of an action, the older
// report of another section goes away, instead of piling up above every list the reader used.
// Each section still shows its own report next to itself, where the reader's focus is.
import { createContext, useCallback, useContext, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { useLocation } from "react-router";
import type { Outcome } from "./Outcome";

interface Report {
  path: string;
  owner: string;
  outcome: Outcome;
}

interface PageStatus {
  report: Report | null;
  setReport: (report: Report | null) => void;
}

const PageStatusContext = createContext<PageStatus | null>(null);

export function PageStatusProvider({ children }: { children: ReactNode }) {
  const [report, setReport] = useState<Report | null>(null);
  const value = useMemo(() => ({ report, setReport }), [report]);
  return <PageStatusContext.Provider value={value}>{children}</PageStatusContext.Provider>;
}

// The outcome `owner` (a section of the page, unique on it) reports, and a way to report one;
// null while another section's report is the page's latest, or after moving to another page.
export function useOutcome(owner: string): [Outcome, (outcome: Outcome) => void] {
  const context = useContext(PageStatusContext);
  if (!context) throw new Error("useOutcome outside PageStatusProvider");
  const { pathname } = useLocation();
  const { report, setReport } = context;
  const set = useCallback(
    (outcome: Outcome) => setReport(outcome ? { path: pathname, owner, outcome } : null),
    [setReport, pathname, owner],
  );
  const mine = report && report.owner === owner && report.path === pathname ? report.outcome : null;
  return [mine, set];
}
