// What approving a claim does to another member's overlapping claim. Plain JavaScript with its
// types in overlap.d.ts, so that node's test runner loads it as it is (web/test/overlap.test.mjs).
//
// Routing takes the most specific claim (longest prefix, longest domain suffix; routing/
// constituency.h), and two claims overlap only when one holds the other. So approving a
// narrower claim moves that part's findings to the claimant; approving a wider one leaves the
// other member its part; the same value cannot have two owners, and the server refuses it.

function specificity(kind, value) {
  if (kind === "netblock") {
    const slash = value.lastIndexOf("/");
    return slash < 0 ? NaN : Number(value.slice(slash + 1));
  }
  if (kind === "domain") return value.replace(/\.$/, "").split(".").length;
  return 0;
}

/**
 * "narrower": the claim lies inside the other member's value (its findings move to the
 * claimant); "wider": the other member's value lies inside the claim (the other member keeps
 * it); "same": the very value, which one owner already holds.
 */
export function overlapEffect(kind, claimed, other) {
  if (kind === "asn") return "same";
  const mine = specificity(kind, claimed);
  const theirs = specificity(kind, other);
  if (mine > theirs) return "narrower";
  if (mine < theirs) return "wider";
  return "same";
}
