// One finding: what it is about and where it came from at the top (type, system, AS, malware,
// member, feed, TLP, times), then every field the feed delivered, grouped by what it describes.
// The server answers only within the reader's scope: another member's event is "not found".
import {
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  Heading2,
  Heading3,
  Paragraph,
} from "@utrecht/component-library-react";
import type { ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import type { BakenEvent, Member } from "../api";
import { asnText, fieldLabel, systemOf, text, typeLabel } from "../eventText";
import { useI18n } from "../i18n";
import type { MessageKey } from "../messages";
import { useResource } from "../resource";
import { Show } from "../components/States";
import { PageHeading } from "../components/PageHeading";
import { FeedName } from "../components/FeedName";
import { UserText } from "../components/UserText";
import { isStaff, useSignedIn } from "../session";
import { EscalateSection } from "./incidents/Escalate";

// Field groups in the order a reader asks about them; a field goes to the first that claims it.
const kGroups: { key: MessageKey; id: string; holds: (field: string) => boolean }[] = [
  { key: "eventGroup.source", id: "source", holds: (field) => field.startsWith("source.") },
  { key: "eventGroup.classification", id: "classification", holds: (field) => field.startsWith("classification.") },
  { key: "eventGroup.malware", id: "malware", holds: (field) => field.startsWith("malware.") },
  { key: "eventGroup.product", id: "product", holds: (field) => field.startsWith("product.") },
  { key: "eventGroup.protocol", id: "protocol", holds: (field) => field.startsWith("protocol.") },
  { key: "eventGroup.destination", id: "destination", holds: (field) => field.startsWith("destination.") },
  {
    key: "eventGroup.description",
    id: "description",
    holds: (field) => field.startsWith("event_description.") || field === "comment",
  },
  { key: "eventGroup.time", id: "time", holds: (field) => field.startsWith("time.") },
  { key: "eventGroup.feed", id: "feed", holds: (field) => field.startsWith("feed.") },
  { key: "eventGroup.extra", id: "extra", holds: (field) => field.startsWith("extra.") },
  { key: "eventGroup.other", id: "other", holds: () => true },
];

// First and last sighting: Baken's own record where it keeps one, else what the report says
// (Shadowserver's first_seen_time/last_seen_time), else the one time the source saw it.
function sighting(event: BakenEvent, which: "first" | "last"): string {
  return (
    text(event, `baken.${which}_seen`) ||
    text(event, `extra.${which}_seen_time`) ||
    text(event, `extra.${which}_seen`) ||
    text(event, "time.source")
  );
}

export function EventDetail() {
  const { id = "" } = useParams();
  const [event] = useResource<BakenEvent>(`/events/${encodeURIComponent(id)}`);
  return <Show resource={event} render={(data) => <EventView event={data} />} />;
}

function EventView({ event }: { event: BakenEvent }) {
  const { t, formatDateTime } = useI18n();
  const location = useLocation();
  const staff = isStaff(useSignedIn());
  const code = text(event, "baken.member");
  const [member] = useResource<Member>(code ? `/members/${encodeURIComponent(code)}` : null);
  const type = typeLabel(t, text(event, "classification.type"));
  const system = systemOf(event);
  const back =
    (location.state as { from?: string } | null)?.from ??
    (code ? `/members/${encodeURIComponent(code)}/events` : "/unrouted");

  const port = text(event, "source.port");
  const asName = text(event, "source.as_name");
  const summary: [string, ReactNode][] = [
    [t("events.type"), type],
    [t("event.system"), [system + (port && text(event, "source.ip") ? `:${port}` : ""), text(event, "source.fqdn")].filter(Boolean).join(" — ")],
    [t("events.asn"), [asnText(event), asName].filter(Boolean).join(" ")],
    [t("event.country"), text(event, "source.geolocation.cc")],
    [t("events.malware"), text(event, "malware.name")],
    [
      t("event.member"),
      code ? (
        <Link className="utrecht-link" to={`/members/${encodeURIComponent(code)}`}>
          {member.status === "ready" ? `${member.data.name} (${code})` : code}
        </Link>
      ) : (
        t("event.noMember")
      ),
    ],
    [
      t("events.feed"),
      <>
        <FeedName name={text(event, "feed.name")} />
        {text(event, "feed.provider") && ` — ${text(event, "feed.provider")}`}
      </>,
    ],
    [t("events.tlp"), `TLP:${text(event, "tlp") || "?"}`],
    [t("event.received"), formatDateTime(text(event, "time.observation"))],
    [t("event.firstSeen"), sighting(event, "first") ? formatDateTime(sighting(event, "first")) : ""],
    [t("event.lastSeen"), sighting(event, "last") ? formatDateTime(sighting(event, "last")) : ""],
  ];

  const groups = new Map<string, string[]>();
  for (const field of Object.keys(event)) {
    if (event[field] === null || event[field] === "") continue;
    const group = kGroups.find((candidate) => candidate.holds(field))!;
    groups.set(group.id, [...(groups.get(group.id) ?? []), field]);
  }

  const heading = system ? `${capitalised(type)}: ${system}` : capitalised(type);
  return (
    <>
      <PageHeading title={heading} />
      <Paragraph>
        <Link className="utrecht-link" to={back}>
          {t("event.back")}
        </Link>
      </Paragraph>
      <section aria-labelledby="event-summary">
        <Heading2 id="event-summary">{t("event.summary")}</Heading2>
        <DataList>
          {summary
            .filter(([, value]) => value !== "")
            .map(([key, value]) => (
              <DataListItem key={key}>
                <DataListKey>{key}</DataListKey>
                <DataListValue>{value}</DataListValue>
              </DataListItem>
            ))}
        </DataList>
      </section>
      {staff && typeof event["baken.id"] === "number" && (
        <EscalateSection kind="event" id={event["baken.id"]} title={heading} routed={code !== ""} />
      )}
      <section aria-labelledby="event-fields" className="baken-event-fields">
        <Heading2 id="event-fields">{t("event.allFields")}</Heading2>
        <Paragraph>{t("event.allFieldsIntro")}</Paragraph>
        {kGroups
          .filter((group) => groups.has(group.id))
          .map((group) => (
            <div key={group.id}>
              <Heading3 id={`event-group-${group.id}`}>{t(group.key)}</Heading3>
              <DataList>
                {groups.get(group.id)!.map((field) => {
                  const label = fieldLabel(t, field);
                  return (
                    <DataListItem key={field}>
                      <DataListKey>
                        {label ?? <UserText>{field}</UserText>}
                        {label && (
                          <span className="baken-field-name" data-user-content="">
                            {field}
                          </span>
                        )}
                      </DataListKey>
                      <DataListValue>{fieldValue(field, event[field], t, formatDateTime)}</DataListValue>
                    </DataListItem>
                  );
                })}
              </DataList>
            </div>
          ))}
      </section>
    </>
  );
}

// The type names are lower case for use within a sentence; a heading starts with a capital.
function capitalised(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Times in the reader's form with the exact value kept for copying; the type in words. The
// values are the feed's, in its own words (UserText); the IntelMQ field names likewise.
function fieldValue(
  field: string,
  value: BakenEvent[string] | undefined,
  t: Parameters<typeof typeLabel>[0],
  formatDateTime: (iso: string) => string,
): ReactNode {
  const plain = value === null || value === undefined ? "" : String(value);
  if (field.startsWith("time.")) return <>{formatDateTime(plain)} <UserText>({plain})</UserText></>;
  if (field === "classification.type") return <>{typeLabel(t, plain)} <UserText>({plain})</UserText></>;
  return <UserText>{plain}</UserText>;
}
