// A TLP label as FIRST's TLP 2.0 standard asks it to be shown: "TLP:AMBER" in the level's
// colour on black (each of them readable on black at WCAG AA contrast), so that a reader
// recognises the level at a glance as in a partner's document. The text says the level as well,
// so the colour is never the only sign.
export function TlpBadge({ tlp }: { tlp: string }) {
  const level = tlp.toLowerCase().replace(/[^a-z]+/g, "-");
  return <span className={`baken-tlp baken-tlp--${level}`}>TLP:{tlp}</span>;
}
