import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { ApiError, api, setCsrfToken } from "./api";
import { Link, currentPath, match, navigate, useLocation } from "./router";
import { AccountPage } from "./screens/account";
import { AuditLog } from "./screens/audit";
import { SourcesPage } from "./screens/sources";
import { ConsentCenter } from "./screens/consent";
import { Home } from "./screens/home";
import { MyNetworkPage } from "./screens/network";
import { OpportunitiesPage, OpportunityPage } from "./screens/opportunities";
import { PartnerConsentPage, SharedDataPage } from "./screens/partner";
import { PartnerReviewPage } from "./screens/partner-review";
import { PersonPage } from "./screens/person";
import { MyPrivacyPage } from "./screens/privacy";
import { RiSettingsPage } from "./screens/ri-settings";
import type { SessionView } from "./types";
import { ErrorState, Loading, Notice, toApiError } from "./ui";
import "./styles.css";

export type Me = SessionView["user"];

const roles = {
  global: "Global Administrator",
  system: "System Administrator",
} as const;

interface NavItem {
  to: string;
  label: string;
  show: (me: Me) => boolean;
}

const everyone = () => true;
const nav: NavItem[] = [
  { to: "/", label: "Find people", show: everyone },
  { to: "/opportunities", label: "Opportunities", show: everyone },
  { to: "/network", label: "My network", show: everyone },
  { to: "/privacy", label: "My privacy", show: everyone },
  { to: "/consent", label: "Consent center", show: (me) => me.roles.includes(roles.global) },
  { to: "/settings", label: "Relationship intelligence", show: (me) => me.roles.includes(roles.system) },
  { to: "/audit", label: "Audit log", show: (me) => me.roles.includes(roles.system) },
  {
    to: "/sources",
    label: "Sources",
    show: (me) => me.roles.includes(roles.system) || me.roles.includes(roles.global),
  },
  { to: "/partner", label: "Data consent", show: (me) => me.roles.includes("Partner Administrator") },
  { to: "/shared-with-partners", label: "Partner data sharing", show: everyone },
];

function Screen({ me, path, search }: { me: Me; path: string; search: URLSearchParams }) {
  let m: Record<string, string> | null;
  if (path === "/" || path === "") return <Home me={me} />;
  if ((m = match("/people/:email", path))) return <PersonPage email={m.email ?? ""} />;
  if ((m = match("/accounts/:account", path))) return <AccountPage account={m.account ?? ""} />;
  if (path === "/opportunities") return <OpportunitiesPage />;
  if ((m = match("/opportunities/:id", path))) return <OpportunityPage id={m.id ?? ""} />;
  if (path === "/network") return <MyNetworkPage />;
  if (path === "/privacy") return <MyPrivacyPage />;
  if (path === "/consent") return <ConsentCenter me={me} />;
  if (path === "/settings") return <RiSettingsPage />;
  if (path === "/audit") return <AuditLog search={search} />;
  if (path === "/sources") return <SourcesPage />;
  if (path === "/partner") return <PartnerConsentPage />;
  if (path === "/shared-with-partners")
    return <SharedDataPage isGlobalAdmin={me.roles.includes(roles.global)} />;
  return (
    <Notice kind="error" title="No such page">
      <Link to="/">Go to the start page</Link>
    </Notice>
  );
}

function App() {
  const { path, search } = useLocation();
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    api
      .get<SessionView>("/api/session")
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      })
      .catch((e: unknown) => setError(toApiError(e)));
  }, []);
  const current = nav.find((n) => (n.to === "/" ? path === "/" : path.startsWith(n.to)));
  useEffect(() => {
    document.title = current ? `${current.label} · Kith` : "Kith";
    // Move focus to the page heading on navigation so screen readers announce the new page.
    document.querySelector<HTMLElement>("main h1")?.focus();
  }, [path, current, session]);

  if (error?.code === "not_authenticated")
    return (
      <main className="signin" id="main">
        <h1 tabIndex={-1}>Sign in to Kith</h1>
        <p>
          Kith signs you in with a one-time link. Ask your administrator for one, or on the server run{" "}
          <code>npx kith login-link you@example.com --tenant TENANT</code> and open the link it prints.
        </p>
      </main>
    );
  if (error) return <ErrorState error={error} feature="your session" />;
  if (!session) return <Loading what="your session" />;
  const me = session.user;
  const logout = async () => {
    await api.post("/auth/logout").catch(() => undefined);
    setSession(null);
    setError(new ApiError("not_authenticated", "signed out", 401));
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand" aria-label="Kith home">
          Kith
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav
              .filter((n) => n.show(me))
              .map((n) => (
                <li key={n.to}>
                  <Link to={n.to} aria-current={current?.to === n.to ? "page" : undefined}>
                    {n.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="who">
          <span className="who-name" title={`${me.displayName} <${me.email}>`}>
            {me.displayName}
          </span>
          <span className="muted small">{me.roles.join(", ") || "no role"}</span>
          <button type="button" className="link" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        <Screen me={me} path={path} search={search} />
      </main>
    </>
  );
}

const root = document.getElementById("root");
if (root) {
  if (window.location.pathname === "/app") navigate("/");
  createRoot(root).render(
    <StrictMode>
      {/* A reviewer's emailed link works without a session. */}
      {currentPath() === "/partner-review" ? <PartnerReviewPage /> : <App />}
    </StrictMode>,
  );
}
