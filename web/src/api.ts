/**
 * The web app's only door to Kith: JSON over the HTTP API with the session cookie, the CSRF token
 * on state changes, and the API's error shape `{ error: { code, message } }` turned into ApiError.
 */
export type ErrorCode =
  | "validation_failed"
  | "not_found"
  | "conflict"
  | "consent_required"
  | "insufficient_privileges"
  | "not_authenticated"
  | "insights_disabled"
  | "integrity_failed"
  | "unavailable"
  | "internal_error"
  | "network_error";

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** The route itself does not exist on this server (an API gap, not a missing record). */
  get isMissingRoute(): boolean {
    return this.code === "not_found" && this.message.startsWith("no route ");
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function readCsrfCookie(): string | null {
  const match = /(?:^|;\s*)kith_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET") headers["x-csrf-token"] = csrfToken ?? readCsrfCookie() ?? "";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError("network_error", "Kith cannot be reached. Check your connection and try again.", 0);
  }
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (
      json as { error?: { code?: ErrorCode; message?: string; details?: Record<string, unknown> } }
    )?.error;
    throw new ApiError(
      error?.code ?? "internal_error",
      error?.message ?? `HTTP ${response.status}`,
      response.status,
      error?.details ?? {},
    );
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
  put: <T>(path: string, body?: unknown) => request<T>("PUT", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/** Query string from defined values only. */
export function qs(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : "";
}
