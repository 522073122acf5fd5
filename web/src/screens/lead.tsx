import { api, qs } from "../api";
import type { LeadDetail, WhoKnowsWhom } from "../types";
import { Loaded, useApi } from "../ui";
import { KpiPanel } from "./kpis";
import { WhoKnowsWhomWidget } from "./person";

/** A lead: who at the company knows them (inside the lead's page, as on a contact's), and its analytics. */
export function LeadPage({ id }: { id: string }) {
  const load = useApi(`lead:${id}`, () => api.get<LeadDetail>(`/api/leads/${encodeURIComponent(id)}`));
  const lead = load.status === "ready" ? load.data : null;
  return (
    <section aria-labelledby="lead-h">
      <h1 id="lead-h" tabIndex={-1} className="truncate" title={lead?.name}>
        {lead ? lead.name : "Lead"}
      </h1>
      <Loaded load={load} what="the lead">
        {(l) => (
          <>
            <p className="lead wrap">
              Lead ·{" "}
              {[l.company, l.email, l.status, l.owner ? `owner ${l.owner.name ?? l.owner.email}` : null]
                .filter(Boolean)
                .join(" · ")}
            </p>
            <div className="grid2 wide-left">
              <div className="card">
                <h2>Who knows {l.name}</h2>
                {l.email ? (
                  <LeadKnowers email={l.email} />
                ) : (
                  <p className="muted">
                    The CRM has no email address for this lead, so Kith cannot tell who knows them.
                  </p>
                )}
              </div>
              <KpiPanel type="lead" id={l.id} />
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}

function LeadKnowers({ email }: { email: string }) {
  const load = useApi(`wkw:${email}`, () => api.get<WhoKnowsWhom>(`/api/who-knows-whom${qs({ email })}`));
  return (
    <Loaded load={load} what="who knows whom">
      {(answer) => <WhoKnowsWhomWidget answer={answer} />}
    </Loaded>
  );
}
