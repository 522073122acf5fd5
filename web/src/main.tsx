import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { ApiError, api, setCsrfToken } from "./api";
import { Link, currentPath, match, navigate, useLocation } from "./router";
import { AccountPage } from "./screens/account";
import { AuditLog } from "./screens/audit";
import { SourcesPage } from "./screens/sources";
import { ConsentCenter } from "./screens/consent";
import { ForgetPage } from "./screens/forget";
import { Home } from "./screens/home";
import { MyNetworkPage } from "./screens/network";
import { OpportunitiesPage, OpportunityPage } from "./screens/opportunities";
import { PartnerConsentPage, SharedDataPage } from "./screens/partner";
import { PartnerReviewPage } from "./screens/partner-review";
import { PersonPage } from "./screens/person";
import { HeaderSearch, RecordList, SearchPage } from "./screens/find";
import { LeadPage } from "./screens/lead";
import { SignInPage } from "./screens/signin";
import { MyPrivacyPage } from "./screens/privacy";
import { RiSettingsPage } from "./screens/ri-settings";
import type { SessionView } from "./types";
import { ErrorState, Loading, Notice, ViewerRoles, toApiError } from "./ui";
import "./styles.css";

export type Me = SessionView["user"];

const roles = {
  global: "Global Administrator",
  system: "System Administrator",
} as const;

/** What the navigation needs beyond the session: whether anyone asked me to review a partner request. */
interface NavFacts {
  reviewsPartnerRequests: boolean;
}

interface NavItem {
  to: string;
  label: string;
  show: (me: Me, facts: NavFacts) => boolean;
}

const everyone = () => true;
const nav: NavItem[] = [
  { to: "/", label: "Find people", show: everyone },
  { to: "/accounts", label: "Accounts", show: everyone },
  { to: "/opportunities", label: "Opportunities", show: everyone },
  { to: "/network", label: "My network", show: everyone },
  { to: "/privacy", label: "My privacy", show: everyone },
  { to: "/consent", label: "Consent center", show: (me) => me.roles.includes(roles.global) },
  { to: "/settings", label: "Relationship intelligence", show: (me) => me.roles.includes(roles.system) },
  { to: "/audit", label: "Audit log", show: (me) => me.roles.includes(roles.system) },
  {
    to: "/deletion-requests",
    label: "Deletion requests",
    show: (me) => me.roles.includes(roles.global) || me.roles.includes(roles.system),
  },
  {
    to: "/sources",
    label: "Sources",
    show: (me) => me.roles.includes(roles.system) || me.roles.includes(roles.global),
  },
  { to: "/partner", label: "Data consent", show: (me) => me.roles.includes("Partner Administrator") },
  // The customer's side: its Global Administrators, and anyone a partner named as a reviewer.
  {
    to: "/shared-with-partners",
    label: "Partner data sharing",
    show: (me, facts) => me.roles.includes(roles.global) || facts.reviewsPartnerRequests,
  },
];

function Screen({ me, path, search }: { me: Me; path: string; search: URLSearchParams }) {
  let m: Record<string, string> | null;
  if (path === "/" || path === "") return <Home me={me} />;
  if ((m = match("/people/:email", path))) return <PersonPage email={m.email ?? ""} />;
  if (path === "/search") return <SearchPage q={search.get("q") ?? ""} />;
  if (path === "/accounts") return <RecordList kind="account" q={search.get("q") ?? ""} />;
  if (path === "/contacts") return <RecordList kind="contact" q={search.get("q") ?? ""} />;
  if (path === "/leads") return <RecordList kind="lead" q={search.get("q") ?? ""} />;
  if ((m = match("/leads/:id", path))) return <LeadPage id={m.id ?? ""} />;
  if ((m = match("/accounts/:account", path))) return <AccountPage account={m.account ?? ""} />;
  if (path === "/opportunities") return <OpportunitiesPage />;
  if ((m = match("/opportunities/:id", path))) return <OpportunityPage id={m.id ?? ""} />;
  if (path === "/network") return <MyNetworkPage />;
  if (path === "/privacy") return <MyPrivacyPage />;
  if (path === "/consent") return <ConsentCenter me={me} />;
  if (path === "/settings") return <RiSettingsPage />;
  if (path === "/audit") return <AuditLog search={search} />;
  if (path === "/deletion-requests") return <ForgetPage />;
  if (path === "/sources") return <SourcesPage />;
  if (path === "/partner") return <PartnerConsentPage />;
  if (path === "/shared-with-partners")
    return <SharedDataPage isGlobalAdmin={me.roles.includes(roles.global)} tenantId={me.tenantId} />;
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
  const [facts, setFacts] = useState<NavFacts>({ reviewsPartnerRequests: false });
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!session || session.user.roles.includes(roles.global)) return;
    api
      .get<{ reviews: unknown[] }>("/api/partner/reviews")
      .then((r) => setFacts({ reviewsPartnerRequests: r.reviews.length > 0 }))
      .catch(() => undefined);
  }, [session]);
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

  if (error?.code === "not_authenticated") return <SignInPage problem={null} />;
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
        <HeaderSearch initial={path === "/search" ? (search.get("q") ?? "") : ""} />
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {menuOpen ? "Close menu" : "Menu"}
        </button>
        <nav aria-label="Main" id="main-nav" className={menuOpen ? "open" : undefined}>
          <ul>
            {nav
              .filter((n) => n.show(me, facts))
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
        <ViewerRoles.Provider value={me.roles}>
          <Screen me={me} path={path} search={search} />
        </ViewerRoles.Provider>
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
      {currentPath() === "/partner-review" ? (
        <PartnerReviewPage />
      ) : currentPath() === "/signin" ? (
        // Where a sign-in link that no longer works lands (/auth/link redirects here).
        <SignInPage problem={new URLSearchParams(window.location.search).get("link")} />
      ) : (
        <App />
      )}
    </StrictMode>,
  );
}
