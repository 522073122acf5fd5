import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { ApiError } from "./api";
import { Link } from "./router";

export type Load<T> =
  { status: "loading" } | { status: "error"; error: ApiError } | { status: "ready"; data: T };

/** Runs `fetcher` when `key` changes; `reload` runs it again (after a change). */
export function useApi<T>(key: string, fetcher: () => Promise<T>): Load<T> & { reload: () => void } {
  const [state, setState] = useState<Load<T>>({ status: "loading" });
  const [tick, setTick] = useState(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;
  useEffect(() => {
    let live = true;
    setState((s) => (s.status === "ready" && tick > 0 ? s : { status: "loading" }));
    latest
      .current()
      .then((data) => live && setState({ status: "ready", data }))
      .catch((e: unknown) => live && setState({ status: "error", error: toApiError(e) }));
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function toApiError(e: unknown): ApiError {
  return e instanceof ApiError
    ? e
    : new ApiError("internal_error", e instanceof Error ? e.message : String(e), 0);
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/**
 * The refusals a person must be able to tell apart: not allowed to see this (role), nothing to see
 * because the administrator has not consented, the feature is switched off — never an empty list.
 */
/** The signed-in user's roles, for messages that differ by role (an administrator is never told to ask themselves). */
export const ViewerRoles = createContext<readonly string[]>([]);

export function ErrorState({ error, feature }: { error: ApiError; feature: string }) {
  const roles = useContext(ViewerRoles);
  const isSystem = roles.includes("System Administrator");
  const isGlobal = roles.includes("Global Administrator");
  switch (error.code) {
    case "insufficient_privileges":
      return isSystem ? (
        <Notice kind="forbidden" title="Not granted to your roles">
          None of your roles ({roles.join(", ")}) is granted {feature}. As a System administrator you can
          grant it to one of them under <Link to="/settings">Relationship intelligence</Link> (who sees
          identifiable insights). <Detail error={error} />
        </Notice>
      ) : (
        <Notice kind="forbidden" title="Insufficient privileges">
          Your security role does not give you access to {feature}. Ask a System administrator to grant it to
          your role if you need it. <Detail error={error} />
        </Notice>
      );
    case "consent_required":
      return (
        <Notice kind="consent" title="Consent missing">
          {feature} needs a data consent that is not in force (or your own data sharing is off), so Kith shows
          nothing here.{" "}
          {isGlobal ? (
            <>
              As a Global administrator you can grant it in the <Link to="/consent">consent center</Link>.
            </>
          ) : (
            "A Global administrator can grant it in the consent center."
          )}{" "}
          <Detail error={error} />
        </Notice>
      );
    case "insights_disabled":
      return (
        <Notice kind="consent" title="Relationship intelligence is switched off">
          {isSystem ? (
            <>
              Relationship intelligence is not enabled, or it switched itself off because consent was missing
              for 14 days. As a System administrator you can turn it on under{" "}
              <Link to="/settings">Relationship intelligence</Link>.
            </>
          ) : (
            "A System administrator has not enabled relationship intelligence, or it switched itself off because consent was missing for 14 days."
          )}{" "}
          <Detail error={error} />
        </Notice>
      );
    case "not_authenticated":
      return (
        <Notice kind="error" title="Signed out">
          Your session has ended. <a href="/app/signin">Email me a new sign-in link</a>.
        </Notice>
      );
    case "not_found":
      if (error.isMissingRoute)
        return (
          <Notice kind="gap" title="Not available yet">
            This server does not offer {feature} yet. <Detail error={error} />
          </Notice>
        );
      return (
        <Notice kind="error" title="Not found">
          {error.message}
        </Notice>
      );
    case "validation_failed":
    case "conflict":
    case "integrity_failed":
    case "unavailable":
    case "internal_error":
    case "network_error":
      return (
        <Notice kind="error" title="Something went wrong">
          {error.message}
        </Notice>
      );
  }
}

function Detail({ error }: { error: ApiError }) {
  return <span className="detail">({error.message})</span>;
}

export function Notice({
  kind,
  title,
  children,
}: {
  kind: "forbidden" | "consent" | "error" | "gap" | "info" | "empty" | "ok" | "warn";
  title: string;
  children?: ReactNode;
}) {
  const alert = kind === "error" || kind === "forbidden" || kind === "consent";
  return (
    <div className={`notice notice-${kind}`} role={alert ? "alert" : "status"} data-state={kind}>
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** Renders a Load: spinner text, the clear error state, or the children with data. */
export function Loaded<T>({
  load,
  what,
  children,
}: {
  load: Load<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (load.status === "loading") return <Loading what={what} />;
  if (load.status === "error") return <ErrorState error={load.error} feature={what} />;
  return <>{children(load.data)}</>;
}

/** A modal confirmation (native <dialog>: focus trap and Escape come from the browser). */
export function ConfirmDialog({
  open,
  title,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={onCancel} className="dialog">
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className={danger ? "danger" : "primary"} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** A labelled on/off switch (a checkbox with role="switch"). */
export function Switch({
  checked,
  onChange,
  label,
  description,
  disabled,
}: {
  checked: boolean;
  onChange: (on: boolean) => void;
  label: string;
  description?: ReactNode;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="switch-row">
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled}
        aria-describedby={description ? `${id}-d` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id}>
        {label} <span className="switch-state">{checked ? "On" : "Off"}</span>
      </label>
      {description ? (
        <div id={`${id}-d`} className="muted small">
          {description}
        </div>
      ) : null}
    </div>
  );
}

/** Pages long lists so 10,000 rows never reach the DOM at once. */
export function usePaged<T>(items: readonly T[], pageSize = 25) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  const current = Math.min(page, pages - 1);
  return {
    rows: items.slice(current * pageSize, current * pageSize + pageSize),
    pager: <Pager page={current} pages={pages} total={items.length} onPage={setPage} />,
  };
}

export function Pager({
  page,
  pages,
  total,
  onPage,
}: {
  page: number;
  pages: number;
  total: number;
  onPage: (p: number) => void;
}) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page + 1} of {pages} ({total.toLocaleString()} in all)
      </span>
      <button type="button" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}

export function StrengthBar({ value, label }: { value: number; label: string }) {
  return (
    <span className="bar" role="img" aria-label={`strength ${value} of 100, ${label}`}>
      <span className={`bar-fill bar-${label}`} style={{ width: `${Math.max(2, Math.min(100, value))}%` }} />
    </span>
  );
}

export const fmtDate = (iso: string | null | undefined): string =>
  iso
    ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" })
    : "—";
export const fmtDateTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—";
export const fmtNumber = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined ? "—" : n.toLocaleString(undefined, { maximumFractionDigits: digits });

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(toApiError(e));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(null) };
}
