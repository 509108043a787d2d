// A drop-down with its label above it, as FormFieldTextbox has: the Utrecht library has no such
// field, and a bare FormLabel + Select put the label beside the box.
import {
  FormField,
  FormFieldDescription,
  FormFieldErrorMessage,
  FormLabel,
  Select,
  SelectOption,
} from "@utrecht/component-library-react";
import type { ReactNode } from "react";

export interface SelectChoice<Value extends string> {
  value: Value;
  label: string;
}

export function FormFieldSelect<Value extends string>({
  id,
  label,
  description,
  error,
  value,
  options,
  groups,
  onChange,
}: {
  id: string;
  label: ReactNode;
  description?: ReactNode;
  // Why the choice is refused, shown above the box (as FormFieldTextbox shows it).
  error?: string;
  value: Value;
  options: readonly SelectChoice<Value>[];
  // Choices under a heading each (<optgroup>), after `options`: the RSIT types by class.
  groups?: readonly { label: string; options: readonly SelectChoice<Value>[] }[];
  onChange: (value: Value) => void;
}) {
  const descriptionId = description ? `${id}-description` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [descriptionId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <FormField type="select" invalid={Boolean(error)}>
      <div className="utrecht-form-field__label">
        <FormLabel htmlFor={id}>{label}</FormLabel>
      </div>
      {description && (
        <FormFieldDescription id={descriptionId} className="utrecht-form-field__description">
          {description}
        </FormFieldDescription>
      )}
      {error && (
        <FormFieldErrorMessage id={errorId} className="utrecht-form-field__error-message">
          {error}
        </FormFieldErrorMessage>
      )}
      <div className="utrecht-form-field__input">
        <Select
          id={id}
          value={value}
          invalid={Boolean(error)}
          aria-describedby={describedBy}
          onChange={(event) => onChange((event.target as HTMLSelectElement).value as Value)}
        >
          {options.map((option) => (
            <SelectOption key={option.value} value={option.value}>
              {option.label}
            </SelectOption>
          ))}
          {groups?.map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.options.map((option) => (
                <SelectOption key={option.value} value={option.value}>
                  {option.label}
                </SelectOption>
              ))}
            </optgroup>
          ))}
        </Select>
      </div>
    </FormField>
  );
}
