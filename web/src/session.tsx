// Who is signed in. The session itself is an HttpOnly cookie the page cannot read; GET
// /api/v1/session tells who it belongs to and gives the CSRF token for changing requests.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, api, setCsrfToken, setOnSessionEnded } from "./api";
import type { Session } from "./api";

type SessionState =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "error"; error: ApiError }
  | { status: "signed-in"; session: Session };

interface SessionApi {
  state: SessionState;
  signIn: (email: string, password: string, code?: string) => Promise<void>;
  // Resolves once signed out; rejects (and stays signed in) when the server did not end it.
  signOut: () => Promise<void>;
  // The session as the server now says it is (after the second factor changed).
  adopt: (session: Session) => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const adopt = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setState({ status: "signed-in", session });
  }, []);

  useEffect(() => {
    setOnSessionEnded(() => {
      setCsrfToken(null);
      setState({ status: "signed-out" });
    });
    return () => setOnSessionEnded(null);
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
    async (email: string, password: string, code?: string) => {
      const body = code ? { email, password, code } : { email, password };
      adopt(await api<Session>("/session", { method: "POST", body }));
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api("/session", { method: "DELETE" });
    } catch (error) {
      // Only a session that is gone already counts as signed out; otherwise the cookie may
      // still be valid, and a shared computer must not look signed out while it is not.
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setCsrfToken(null);
    setState({ status: "signed-out" });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, adopt }), [state, signIn, signOut, adopt]);
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
