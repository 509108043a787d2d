// Who is signed in. The session itself is an HttpOnly cookie the page cannot read; GET
// /api/v1/session tells who it belongs to and gives the CSRF token for changing requests.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, setCsrfToken } from "./api";
import type { Session } from "./api";

type SessionState =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "error"; error: ApiError }
  | { status: "signed-in"; session: Session };

interface SessionApi {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setState({ status: "signed-in", session });
  }, []);

  useEffect(() => {
    api<Session>("/session")
      .then(adopt)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setState({ status: "signed-out" });
        else setState({ status: "error", error: error as ApiError });
      });
  }, [adopt]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      adopt(await api<Session>("/session", { method: "POST", body: { email, password } }));
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api("/session", { method: "DELETE" });
    } finally {
      setCsrfToken(null);
      setState({ status: "signed-out" });
    }
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const context = useContext(SessionContext);
  if (!context) throw new Error("useSession outside SessionProvider");
  return context;
}

// The signed-in session; only for pages that are shown to signed-in users.
export function useSignedIn(): Session {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useSignedIn without a session");
  return state.session;
}

export function isStaff(session: Session): boolean {
  return session.role === "analyst" || session.role === "admin";
}
