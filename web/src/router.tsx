import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";

/**
 * A small History API router: the app has a dozen flat screens, so a routing library would cost
 * more bundle than it saves. Paths are relative to the app's base (/app/).
 */
export const base = "/app";

export function currentPath(): string {
  const p = window.location.pathname;
  return (p.startsWith(base) ? p.slice(base.length) : p) || "/";
}

export function navigate(path: string): void {
  window.history.pushState(null, "", base + path);
  window.dispatchEvent(new PopStateEvent("popstate"));
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [state, setState] = useState(() => ({ path: currentPath(), search: window.location.search }));
  useEffect(() => {
    const update = () => setState({ path: currentPath(), search: window.location.search });
    window.addEventListener("popstate", update);
    return () => window.removeEventListener("popstate", update);
  }, []);
  return { path: state.path, search: new URLSearchParams(state.search) };
}

/** Matches "/people/:email" style patterns; returns decoded params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/");
  const a = path.split("/");
  if (p.length !== a.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? "";
    const val = a[i] ?? "";
    if (seg.startsWith(":")) {
      if (!val) return null;
      out[seg.slice(1)] = decodeURIComponent(val);
    } else if (seg !== val) return null;
  }
  return out;
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={base + to} onClick={handle} {...rest} />;
}
