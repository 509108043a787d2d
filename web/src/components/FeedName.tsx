// A feed's name for the reader: a Shadowserver report by the name i18n/feeds.json gives it in
// the reader's language; a feed the operator named keeps that name, marked as entered text.
import { useI18n } from "../i18n";
import { feedName, isKnownFeed } from "../labels";
import { UserText } from "./UserText";

export function FeedName({ name }: { name: string }) {
  const { language } = useI18n();
  if (!name) return null;
  return isKnownFeed(name) ? <>{feedName(language, name)}</> : <UserText>{name}</UserText>;
}
