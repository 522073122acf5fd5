import { Type, type Static } from "@sinclair/typebox";
import type { Tenant } from "../domain/directory";
import type { SignedInUser } from "../services/auth.service";

/** Shared request/response schemas and presenters (domain value → JSON; dates as ISO strings). */

export const DateTime = Type.String({ format: "date-time" });
export const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const TenantView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
  createdAt: DateTime,
});
export const presentTenant = (t: Tenant): Static<typeof TenantView> => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  domains: t.domains,
  createdAt: iso(t.createdAt),
});

export const SignedInUserView = Type.Object({
  tenantId: Type.String(),
  tenantSlug: Type.String(),
  userId: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  isGuest: Type.Boolean(),
});
export const presentSignedInUser = (u: SignedInUser): Static<typeof SignedInUserView> => ({ ...u });

export const DirectoryUserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  aliases: Type.Array(Type.String()),
  isGuest: Type.Boolean(),
  roles: Type.Array(Type.String()),
});

export const ReceiptView = Type.Object({
  id: Type.String(),
  scope: Type.String(),
  reason: Type.String(),
  at: DateTime,
  counts: Type.Record(Type.String(), Type.Number()),
});

export const OkView = Type.Object({ ok: Type.Literal(true) });

export const ConsentTypeParam = Type.Union(
  ["personal", "aggregated", "identifiable"].map((t) => Type.Literal(t)),
  { description: "personal | aggregated | identifiable" },
);

export const EnablementView = Type.Object({
  state: Type.Union(
    ["disabled", "active", "awaiting_consent", "switched_off", "turned_off"].map((s) => Type.Literal(s)),
  ),
  deadline: Type.Optional(DateTime),
  daysLeft: Type.Optional(Type.Number()),
  /** When an administrator turned it off (state turned_off). */
  at: Type.Optional(DateTime),
  summary: Type.String({ description: "what the state means, in words" }),
  restore: Type.Union([Type.String(), Type.Null()], {
    description: "what brings withheld collection or insights back; null when nothing is withheld",
  }),
});
