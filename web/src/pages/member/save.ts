// Saving one of a member's lists whole, and turning the API's refusal into a message.
import { ApiError, api } from "../../api";

export type ListName = "contacts" | "netblocks" | "asns" | "domains" | "assets";

export async function saveList(code: string, list: ListName, body: unknown): Promise<void> {
  await api(`/members/${encodeURIComponent(code)}/${list}`, { method: "PUT", body });
}

// The server's reason (it names the field and the problem), or a general one.
export function refusalText(error: unknown): string {
  if (error instanceof ApiError) return error.detail || `HTTP ${error.status}`;
  return String(error);
}
