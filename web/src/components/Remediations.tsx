// What a source advises for a finding: its category in the reader's language ("Update van de
// leverancier"), then the source's own text, which stays in the language it was written in.
import { useI18n } from "../i18n";
import { remediationParts } from "../labels";
import { UserText } from "./UserText";

export function Remediations({ lines }: { lines: readonly string[] }) {
  const { language } = useI18n();
  return (
    <>
      {lines.map((line, index) => {
        const { category, details } = remediationParts(language, line);
        return (
          <span key={index} className="baken-remediation">
            {index > 0 && "; "}
            {category && `${category}: `}
            <UserText>{details}</UserText>
          </span>
        );
      })}
    </>
  );
}
