// Text someone entered or a source wrote (a member's name, an advisory's title, a remediation's
// details), shown as it is in its own language. Marked so that the language test
// (e2e/language.test.mjs) skips it and checks only the portal's own words.
import type { ReactNode } from "react";

export function UserText({ children }: { children: ReactNode }) {
  return <span data-user-content="">{children}</span>;
}
