// Saving one of a member's lists whole, as the API takes it.
import { api } from "../../api";

export type ListName = "contacts" | "netblocks" | "asns" | "domains" | "assets";

export async function saveList(code: string, list: ListName, body: unknown): Promise<void> {
  await api(`/members/${encodeURIComponent(code)}/${list}`, { method: "PUT", body });
}
