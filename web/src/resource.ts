// Loads one API resource for a page: loading, error (with the HTTP status) or ready, and a
// way to load it again after a change. A reload keeps showing what was there; another path
// never shows the previous path's data. A null path loads nothing (and stays "loading"), for a
// page that needs the resource only in some of its uses.
import { useCallback, useEffect, useState } from "react";
import { ApiError, api } from "./api";

export type Resource<T> =
  | { status: "loading" }
  | { status: "error"; error: ApiError }
  | { status: "ready"; data: T };

interface Loaded<T> {
  path: string | null;
  resource: Resource<T>;
}

export function useResource<T>(path: string | null): [Resource<T>, () => void] {
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api<T>(path)
      .then((data) => {
        if (current) setLoaded({ path, resource: { status: "ready", data } });
      })
      .catch((error: unknown) => {
        if (!current) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, String(error));
        setLoaded({ path, resource: { status: "error", error: apiError } });
      });
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  if (!loaded || loaded.path !== path) return [{ status: "loading" }, reload];
  return [loaded.resource, reload];
}
