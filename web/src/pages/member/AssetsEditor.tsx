// The member's ICT inventory, which advisories are matched against.
import {
  Button,
  ButtonGroup,
  FormFieldCheckbox,
  FormFieldTextbox,
  Heading2,
  Heading3,
  Paragraph,
} from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { api } from "../../api";
import type { Asset } from "../../api";
import { useI18n } from "../../i18n";
import { DataTable } from "../../components/Table";
import { FormFieldFile } from "../../components/FormFieldFile";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { SaveOrCancel } from "../../components/SaveOrCancel";
import { Empty } from "../../components/States";
import { saveList } from "./save";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { UndoOffer } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { useConfirm } from "../../components/Confirm";
import { countCsvRecords, inventoryCsv, inventoryTemplate, withVersion } from "../../inventory.js";
import { downloadText } from "../../download";

type Criticality = NonNullable<Asset["criticality"]>;
const kCriticality: Criticality[] = ["low", "medium", "high", "critical"];

interface Draft {
  index: number | null; // the asset being changed, or null for a new one
  name: string;
  vendor: string;
  product: string;
  version: string;
  criticality: Criticality;
  internet_facing: boolean;
}
type DraftErrors = Partial<Record<"name" | "vendor" | "product", string>>;

const kEmpty: Draft = {
  index: null,
  name: "",
  vendor: "",
  product: "",
  version: "",
  criticality: "medium",
  internet_facing: false,
};

function draftOf(asset: Asset, index: number): Draft {
  return {
    index,
    name: asset.name,
    vendor: asset.vendor,
    product: asset.product,
    version: asset.version ?? "",
    criticality: asset.criticality ?? "medium",
    internet_facing: asset.internet_facing ?? false,
  };
}

export function AssetsEditor({
  code,
  assets,
  onSaved,
}: {
  code: string;
  assets: Asset[];
  onSaved: () => void;
}) {
  const { t, language } = useI18n();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [outcome, setOutcome] = useOutcome("assets");
  const [confirm, confirmDialog] = useConfirm();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const latest = useRef(assets);
  latest.current = assets;

  async function run(action: () => Promise<unknown>, message: string, undo?: UndoOffer) {
    setOutcome(null);
    try {
      await action();
      setDraft(null);
      setOutcome(done(message, undo));
      onSaved();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const found: DraftErrors = {};
    for (const field of ["name", "vendor", "product"] as const) {
      if (draft[field].trim() === "") found[field] = t(`assets.${field}Missing`);
    }
    if (assets.some((asset, i) => i !== draft.index && asset.name === draft.name.trim())) {
      found.name = t("assets.nameTaken");
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const before = draft.index !== null ? assets[draft.index] : undefined;
    // A changed asset keeps what the form does not show (CPE, package URL); a version written
    // inside those moves along with the version field, since matching reads it there first.
    const asset: Asset = {
      ...(before ? withVersion(before, draft.version.trim()) : {}),
      name: draft.name.trim(),
      vendor: draft.vendor.trim(),
      product: draft.product.trim(),
      criticality: draft.criticality,
      internet_facing: draft.internet_facing,
    };
    if (draft.version.trim() !== "") asset.version = draft.version.trim();
    else delete asset.version;
    if (!before) {
      void run(() => saveList(code, "assets", [...assets, asset]), t("assets.added", { name: asset.name }));
      return;
    }
    const next = [...assets];
    next[draft.index as number] = asset;
    void run(() => saveList(code, "assets", next), t("assets.changed", { name: asset.name }));
  }

  async function remove(asset: Asset, index: number) {
    const confirmed = await confirm({
      title: t("assets.removeQuestion", { name: asset.name }),
      consequence: t("assets.removeConsequence"),
      confirmLabel: t("form.remove"),
      danger: true,
    });
    if (!confirmed) return;
    const undo: UndoOffer = {
      run: () => {
        const next = latest.current.filter((other) => other.name !== asset.name);
        next.splice(Math.min(index, next.length), 0, asset);
        return run(() => saveList(code, "assets", next), t("assets.restored", { name: asset.name }));
      },
    };
    await run(
      () => saveList(code, "assets", assets.filter((_, i) => i !== index)),
      t("assets.removed", { name: asset.name }),
      undo,
    );
  }

  async function importCsv(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setFileError(t("assets.fileMissing"));
      return;
    }
    setFileError(null);
    const chosen = file;
    const count = countCsvRecords(await chosen.text());
    const confirmed = await confirm({
      title: t("assets.importQuestion"),
      consequence: t("assets.importConsequence", { now: assets.length, file: chosen.name, count }),
      confirmLabel: t("assets.importConfirm"),
      danger: true,
    });
    if (!confirmed) return;
    // The list as it was goes back whole, as JSON: the file's rows did not add to it, they
    // replaced it.
    const previous = assets;
    const undo: UndoOffer = {
      note: t("assets.importUndoNote", { count: previous.length }),
      run: () => run(() => saveList(code, "assets", previous), t("assets.importUndone", { count: previous.length })),
    };
    await run(
      () =>
        api(`/members/${encodeURIComponent(code)}/assets`, {
          method: "PUT",
          raw: chosen,
          contentType: "text/csv",
        }),
      t("assets.imported", { file: chosen.name }),
      undo,
    );
  }

  const text = (field: keyof DraftErrors | "version", label: string, description?: ReactNode) =>
    draft && (
      <FormFieldTextbox
        id={`asset-${field}`}
        label={label}
        description={description}
        value={draft[field]}
        invalid={field !== "version" && Boolean(errors[field])}
        errorMessage={field !== "version" ? errors[field] : undefined}
        onChange={(event) => setDraft({ ...draft, [field]: (event.target as HTMLInputElement).value })}
      />
    );

  const editing = draft && draft.index !== null ? assets[draft.index] : undefined;
  const identifiers = editing ? [editing.cpe, editing.purl].filter((id): id is string => Boolean(id)) : [];

  return (
    <section aria-labelledby="assets-title" className="baken-section">
      {confirmDialog}
      <Heading2 id="assets-title">{t("assets.title")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {assets.length === 0 ? (
        <Empty>{t("assets.none")}</Empty>
      ) : (
        <DataTable
          caption={t("assets.title")}
          rows={assets}
          rowKey={(asset) => asset.name}
          columns={[
            { key: "name", header: t("assets.name"), cell: (asset) => asset.name },
            { key: "vendor", header: t("assets.vendor"), cell: (asset) => asset.vendor },
            { key: "product", header: t("assets.product"), cell: (asset) => asset.product },
            { key: "version", header: t("assets.version"), cell: (asset) => asset.version || "—" },
            {
              key: "criticality",
              header: t("assets.criticality"),
              cell: (asset) => t(`criticality.${asset.criticality ?? "medium"}`),
            },
            {
              key: "internetFacing",
              header: t("assets.internetFacing"),
              cell: (asset) => (asset.internet_facing ? t("form.yes") : t("form.no")),
            },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (asset, index) => (
                <ButtonGroup>
                  <Button
                    appearance="secondary-action-button"
                    aria-label={t("assets.editOne", { name: asset.name })}
                    onClick={() => {
                      setErrors({});
                      setDraft(draftOf(asset, index));
                    }}
                  >
                    {t("form.edit")}
                  </Button>
                  <Button
                    appearance="subtle-button"
                    hint="danger"
                    aria-label={t("assets.removeOne", { name: asset.name })}
                    onClick={() => void remove(asset, index)}
                  >
                    {t("form.remove")}
                  </Button>
                </ButtonGroup>
              ),
            },
          ]}
        />
      )}
      {draft ? (
        <form onSubmit={submit} noValidate className="baken-form" aria-labelledby="asset-form-title">
          <Heading3 id="asset-form-title">
            {draft.index === null ? t("assets.add") : t("assets.edit", { name: editing?.name ?? "" })}
          </Heading3>
          {text("name", t("assets.name"))}
          {text("vendor", t("assets.vendor"))}
          {text("product", t("assets.product"))}
          {text(
            "version",
            t("assets.version"),
            identifiers.length > 0 ? <VersionMoves identifiers={identifiers} /> : undefined,
          )}
          <FormFieldSelect
            id="asset-criticality"
            label={t("assets.criticality")}
            value={draft.criticality}
            options={kCriticality.map((level) => ({ value: level, label: t(`criticality.${level}`) }))}
            onChange={(criticality) => setDraft({ ...draft, criticality })}
          />
          <FormFieldCheckbox
            id="asset-internet-facing"
            label={t("assets.internetFacing")}
            checked={draft.internet_facing}
            onChange={(event) =>
              setDraft({ ...draft, internet_facing: (event.target as HTMLInputElement).checked })
            }
          />
          <SaveOrCancel onCancel={() => setDraft(null)} />
        </form>
      ) : (
        <Button
          appearance="secondary-action-button"
          onClick={() => {
            setErrors({});
            setDraft({ ...kEmpty });
          }}
        >
          {t("assets.add")}
        </Button>
      )}
      <div className="baken-subsection">
        <Heading3 id="assets-csv-title">{t("assets.csvTitle")}</Heading3>
        <Paragraph>{t("assets.csvIntro")}</Paragraph>
        <ButtonGroup>
          <Button
            appearance="secondary-action-button"
            onClick={() => downloadText(t("assets.templateFile"), inventoryTemplate(language))}
          >
            {t("assets.template")}
          </Button>
          {assets.length > 0 && (
            <Button
              appearance="secondary-action-button"
              onClick={() => downloadText(t("assets.exportFile", { code }), inventoryCsv(assets, language))}
            >
              {t("assets.export")}
            </Button>
          )}
        </ButtonGroup>
        <form onSubmit={(event) => void importCsv(event)} noValidate className="baken-form">
          <FormFieldFile
            id="asset-csv"
            label={t("assets.importLabel")}
            description={t("assets.importHint")}
            error={fileError ?? undefined}
            accept=".csv,text/csv"
            onChange={setFile}
          />
          <Button type="submit" appearance="secondary-action-button">
            {t("assets.import")}
          </Button>
        </form>
      </div>
    </section>
  );
}

// Where else the version is written: a CPE name and a package URL are long words without
// spaces, so they may break anywhere rather than widen a phone's screen.
function VersionMoves({ identifiers }: { identifiers: string[] }) {
  const { t } = useI18n();
  const [before, after] = t("assets.versionMoves").split("{identifiers}");
  return (
    <>
      {before}
      {identifiers.map((id, i) => (
        <span key={id}>
          {i > 0 && ", "}
          <code className="baken-identifier">{id}</code>
        </span>
      ))}
      {after}
    </>
  );
}
