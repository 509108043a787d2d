// The organisation whose portal this is, fetched once at start. Until it answers, and when it
// cannot (a server without the setting, or an older one: 404), the portal shows a neutral
// "Baken" without a phone number, and says nothing about the failure: the name is decoration,
// not something a user can act on.
import { createContext, useContext, useEffect, useState } from "react";
import type { ReactNode } from "react";
import { api } from "./api";
import type { Organisation } from "./api";

export const kNeutralOrganisation: Organisation = {
  name: "Baken",
  full_name: null,
  phone: null,
  email: null,
  logo: null,
};

const OrganisationContext = createContext<Organisation>(kNeutralOrganisation);

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

// Takes only what has the expected form, so that a half-filled setting shows what it has.
function fromAnswer(answer: unknown): Organisation | null {
  if (typeof answer !== "object" || answer === null) return null;
  const fields = answer as Record<string, unknown>;
  const name = text(fields.name);
  if (!name) return null;
  return {
    name,
    full_name: text(fields.full_name),
    phone: text(fields.phone),
    email: text(fields.email),
    logo: text(fields.logo),
  };
}

export function OrganisationProvider({ children }: { children: ReactNode }) {
  const [organisation, setOrganisation] = useState<Organisation>(kNeutralOrganisation);
  useEffect(() => {
    let current = true;
    api<unknown>("/organisation")
      .then((answer) => {
        const known = fromAnswer(answer);
        if (current && known) setOrganisation(known);
      })
      .catch(() => {
        // The neutral defaults stay; see above.
      });
    return () => {
      current = false;
    };
  }, []);
  return <OrganisationContext.Provider value={organisation}>{children}</OrganisationContext.Provider>;
}

export function useOrganisation(): Organisation {
  return useContext(OrganisationContext);
}

// A phone number as a tel: link wants it: digits and a leading +.
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}
