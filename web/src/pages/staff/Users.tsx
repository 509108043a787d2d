// Who can sign in (admins only): add an analyst, an admin or a member's user with a password
// Baken makes and shows once; block and unblock an account, lift a sign-in lock, and turn off
// two-step verification for someone who lost their phone.
import {
  Alert,
  Button,
  ButtonGroup,
  FormFieldTextbox,
  Heading2,
  Paragraph,
  StatusBadge,
} from "@utrecht/component-library-react";
import { useEffect, useMemo, useRef, useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api } from "../../api";
import type { Member, MemberName, NewUser, Role, User } from "../../api";
import { useI18n } from "../../i18n";
import { problemSentence } from "../../problems";
import { useResource } from "../../resource";
import { useSignedIn } from "../../session";
import { useConfirm } from "../../components/Confirm";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";

const kRoles: Role[] = ["member", "analyst", "admin"];
type RoleFilter = Role | "";
type StateFilter = "" | "active" | "disabled";
// Enough rows to scan by eye; a long list is narrowed with the filters, or shown further.
const kPageSize = 50;

type Action = "disable" | "enable" | "unlock" | "reset-totp";

export function Users() {
  const { t } = useI18n();
  const [users, reload] = useResource<{ users: User[] }>("/users");
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const memberList = members.status === "ready" ? members.data.members : null;
  const names = useMemo(() => new Map((memberList ?? []).map((member) => [member.code, member.name])), [memberList]);
  return (
    <>
      <PageHeading title={t("users.title")} />
      <Paragraph>{t("users.intro")}</Paragraph>
      {/* Above the list, which may be long: adding someone is the page's first task. */}
      <AddUser members={memberList} onAdded={reload} />
      {/* Shown once the members' names are known (or cannot be), which the list shows and searches. */}
      <Show
        resource={members.status === "loading" ? { status: "loading" } : users}
        render={({ users: list }) => <UserList users={list} names={names} onChanged={reload} />}
      />
    </>
  );
}

function UserList({
  users,
  names,
  onChanged,
}: {
  users: User[];
  names: Map<string, string>;
  onChanged: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const session = useSignedIn();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<RoleFilter>("");
  const [state, setState] = useState<StateFilter>("");
  const [limit, setLimit] = useState(kPageSize);
  const [outcome, setOutcome] = useOutcome("users");
  const [confirm, confirmDialog] = useConfirm();
  // Another filter starts again at the first rows.
  useEffect(() => setLimit(kPageSize), [search, role, state]);

  const memberLabel = (code: string | null) => (code ? `${names.get(code) ?? code} (${code})` : "");
  const needle = search.trim().toLowerCase();
  const matching = users.filter(
    (user) =>
      (role === "" || user.role === role) &&
      (state === "" || (state === "disabled") === (user.disabled_at !== null)) &&
      (needle === "" ||
        user.email.toLowerCase().includes(needle) ||
        memberLabel(user.member).toLowerCase().includes(needle)),
  );
  const shown = matching.slice(0, limit);
  const isSelf = (user: User) => user.email.toLowerCase() === session.email.toLowerCase();

  async function act(user: User, action: Action) {
    setOutcome(null);
    if (action === "disable") {
      const confirmed = await confirm({
        title: t("users.disableQuestion", { email: user.email }),
        consequence: t("users.disableConsequence", { email: user.email }),
        confirmLabel: t("users.disable"),
        danger: true,
      });
      if (!confirmed) return;
    }
    if (action === "reset-totp") {
      const confirmed = await confirm({
        title: t("users.resetTotpQuestion", { email: user.email }),
        consequence: t("users.resetTotpConsequence", { email: user.email }),
        confirmLabel: t("users.resetTotpConfirm"),
        danger: true,
      });
      if (!confirmed) return;
    }
    try {
      await api<User>(`/users/${user.id}/${action}`, { method: "POST" });
      const message = {
        disable: "users.disabled",
        enable: "users.enabled",
        unlock: "users.unlocked",
        "reset-totp": "users.totpReset",
      } as const;
      setOutcome(done(t(message[action], { email: user.email })));
      onChanged();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  if (users.length === 0) return <Empty>{t("users.none")}</Empty>;
  return (
    <section aria-labelledby="users-list" className="baken-section">
      {confirmDialog}
      <Heading2 id="users-list">{t("users.listTitle")}</Heading2>
      <form className="baken-toolbar baken-filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <FormFieldTextbox
          id="users-search"
          label={t("users.search")}
          type="search"
          value={search}
          onChange={(event) => setSearch((event.target as HTMLInputElement).value)}
        />
        <FormFieldSelect
          id="users-role"
          label={t("users.roleFilter")}
          value={role}
          options={[
            { value: "" as RoleFilter, label: t("users.allRoles") },
            ...kRoles.map((value) => ({ value: value as RoleFilter, label: t(`userRole.${value}`) })),
          ]}
          onChange={setRole}
        />
        <FormFieldSelect
          id="users-state"
          label={t("users.stateFilter")}
          value={state}
          options={[
            { value: "" as StateFilter, label: t("users.allStates") },
            { value: "active" as StateFilter, label: t("users.onlyActive") },
            { value: "disabled" as StateFilter, label: t("users.onlyDisabled") },
          ]}
          onChange={setState}
        />
      </form>
      <Paragraph role="status">{t("users.count", { shown: shown.length, total: matching.length })}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {matching.length === 0 ? (
        <Empty>{t("users.noMatch")}</Empty>
      ) : (
        <DataTable
          caption={t("users.title")}
          rows={shown}
          rowKey={(user) => user.id}
          pager={
            shown.length < matching.length && (
              <Button appearance="secondary-action-button" onClick={() => setLimit((n) => n + kPageSize)}>
                {t("users.showMore")}
              </Button>
            )
          }
          columns={[
            {
              key: "email",
              header: t("users.email"),
              cell: (user) => (
                <>
                  {user.email}
                  {isSelf(user) && ` ${t("users.you")}`}
                </>
              ),
            },
            { key: "role", header: t("users.role"), cell: (user) => t(`userRole.${user.role}`) },
            { key: "member", header: t("users.member"), cell: (user) => memberLabel(user.member) || "—" },
            {
              key: "state",
              header: t("users.state"),
              cell: (user) =>
                user.disabled_at ? (
                  <StatusBadge status="danger">
                    {t("users.disabledSince", { when: formatDateTime(user.disabled_at) })}
                  </StatusBadge>
                ) : (
                  t("users.active")
                ),
            },
            { key: "totp", header: t("users.totp"), cell: (user) => (user.totp ? t("users.totpOn") : t("users.totpOff")) },
            { key: "created", header: t("users.created"), cell: (user) => formatDateTime(user.created_at) },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (user) => (
                <ButtonGroup>
                  {user.disabled_at ? (
                    <Button
                      appearance="secondary-action-button"
                      aria-label={t("users.enableOne", { email: user.email })}
                      onClick={() => void act(user, "enable")}
                    >
                      {t("users.enable")}
                    </Button>
                  ) : (
                    // Nobody blocks their own account: no admin would be left to unblock it.
                    !isSelf(user) && (
                      <Button
                        appearance="secondary-action-button"
                        hint="danger"
                        aria-label={t("users.disableOne", { email: user.email })}
                        onClick={() => void act(user, "disable")}
                      >
                        {t("users.disable")}
                      </Button>
                    )
                  )}
                  <Button
                    appearance="subtle-button"
                    aria-label={t("users.unlockOne", { email: user.email })}
                    onClick={() => void act(user, "unlock")}
                  >
                    {t("users.unlock")}
                  </Button>
                  {user.totp && (
                    <Button
                      appearance="subtle-button"
                      hint="danger"
                      aria-label={t("users.resetTotpOne", { email: user.email })}
                      onClick={() => void act(user, "reset-totp")}
                    >
                      {t("users.resetTotp")}
                    </Button>
                  )}
                </ButtonGroup>
              ),
            },
          ]}
        />
      )}
      <Paragraph className="baken-hint">{t("users.actionsHint")}</Paragraph>
    </section>
  );
}

type FieldErrors = Partial<Record<"email" | "member", string>>;

function AddUser({ members, onAdded }: { members: Member[] | null; onAdded: () => void }) {
  const { t, language } = useI18n();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [member, setMember] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [made, setMade] = useState<NewUser | null>(null);
  const [outcome, setOutcome] = useOutcome("user-add");
  const sorted = useMemo(
    () => [...(members ?? [])].sort((a, b) => a.name.localeCompare(b.name, language)),
    [members, language],
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const found: FieldErrors = {};
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) found.email = t("signIn.emailInvalid");
    if (role === "member" && member === "") found.member = t("users.memberMissing");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      const body = role === "member" ? { email: email.trim(), role, member } : { email: email.trim(), role };
      setMade(await api<NewUser>("/users", { method: "POST", body }));
      setEmail("");
      onAdded();
    } catch (error) {
      // A refusal about one field is shown at that field, where the reader fixes it.
      if (error instanceof ApiError && (error.code === "user.exists" || error.code === "contact.email_invalid")) {
        setErrors({ email: problemSentence(language, error.code, error.params, error.status) });
      } else if (error instanceof ApiError && error.code === "user.member_needed") {
        setErrors({ member: problemSentence(language, error.code, error.params, error.status) });
      } else {
        setOutcome(refused(error));
      }
    }
  }

  return (
    <section aria-labelledby="user-add" className="baken-section">
      <Heading2 id="user-add">{t("users.add")}</Heading2>
      <Paragraph>{t("users.addIntro")}</Paragraph>
      {made && <NewPassword user={made} onDismiss={() => setMade(null)} />}
      <OutcomeAlert outcome={outcome} />
      <form onSubmit={(event) => void submit(event)} noValidate className="baken-form">
        <FormFieldTextbox
          id="user-email"
          label={t("users.email")}
          description={t("users.emailHint")}
          type="email"
          autoComplete="off"
          value={email}
          invalid={Boolean(errors.email)}
          errorMessage={errors.email}
          onChange={(event) => setEmail((event.target as HTMLInputElement).value)}
        />
        <FormFieldSelect
          id="user-role"
          label={t("users.role")}
          description={t("users.roleHint")}
          value={role}
          options={kRoles.map((value) => ({ value, label: t(`userRole.${value}`) }))}
          onChange={setRole}
        />
        {role === "member" &&
          (members === null ? (
            <Paragraph role="status">{t("users.membersLoading")}</Paragraph>
          ) : (
            <FormFieldSelect
              id="user-member"
              label={t("users.member")}
              value={member}
              error={errors.member}
              options={[
                { value: "", label: t("users.chooseMember") },
                ...sorted.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
              ]}
              onChange={setMember}
            />
          ))}
        <Button type="submit" appearance="primary-action-button">
          {t("users.create")}
        </Button>
      </form>
    </section>
  );
}

// The generated password, this once: the admin copies it and passes it on; it stays until they
// say they have it, so that another action on the page cannot take it away unseen.
function NewPassword({ user, onDismiss }: { user: NewUser; onDismiss: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [user]);
  async function copy() {
    try {
      await navigator.clipboard.writeText(user.password);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <Alert type="ok" role="status" ref={box} tabIndex={-1} className="baken-new-password">
      <Paragraph>
        <strong>{t("users.madeTitle", { email: user.email })}</strong>
      </Paragraph>
      <Paragraph>
        {t("users.password")}: <code className="baken-secret" data-testid="new-password">{user.password}</code>
      </Paragraph>
      <Paragraph>{t("users.passwordOnce")}</Paragraph>
      <ButtonGroup>
        <Button appearance="secondary-action-button" onClick={() => void copy()}>
          {t("users.copy")}
        </Button>
        <Button appearance="subtle-button" onClick={onDismiss}>
          {t("users.dismiss")}
        </Button>
      </ButtonGroup>
      <Paragraph aria-live="polite">
        {copied === "yes" ? t("users.copied") : copied === "failed" ? t("users.copyFailed") : ""}
      </Paragraph>
    </Alert>
  );
}
