// A file field with its label, hint and refusal, as FormFieldTextbox has: the Utrecht library
// has no file input. The hint says which files are taken, so it is always there; the input
// points at it and, once the file is refused, at the reason too.
import { FormField, FormFieldDescription, FormFieldErrorMessage, FormLabel } from "@utrecht/component-library-react";
import type { ReactNode } from "react";

export function FormFieldFile({
  id,
  label,
  description,
  error,
  accept,
  disabled,
  onChange,
}: {
  id: string;
  label: ReactNode;
  description: ReactNode;
  error?: string;
  accept: string;
  disabled?: boolean;
  onChange: (file: File | null) => void;
}) {
  const descriptionId = `${id}-description`;
  const errorId = `${id}-error`;
  return (
    <FormField invalid={Boolean(error)}>
      <FormLabel htmlFor={id}>{label}</FormLabel>
      <FormFieldDescription id={descriptionId}>{description}</FormFieldDescription>
      {error && <FormFieldErrorMessage id={errorId}>{error}</FormFieldErrorMessage>}
      <input
        id={id}
        type="file"
        className="baken-file"
        accept={accept}
        disabled={disabled}
        aria-invalid={Boolean(error)}
        aria-describedby={error ? `${descriptionId} ${errorId}` : descriptionId}
        onChange={(event) => onChange(event.target.files?.[0] ?? null)}
      />
    </FormField>
  );
}
