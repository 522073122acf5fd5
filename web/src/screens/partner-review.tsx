import { useEffect, useState } from "react";
import { ApiError, api } from "../api";
import { Loading, Notice, fmtDateTime, toApiError } from "../ui";
import { RequestContext, StatusBadge, type PartnerRequest, type PartnerReviewer } from "./partner";

interface ReviewByLink {
  request: PartnerRequest;
  reviewer: PartnerReviewer & { linkExpiresAt: string | null };
  canDecide: boolean;
}

/**
 * The reviewer's page behind the emailed link, usable without signing in: the link itself is the
 * credential. Its secret sits in the URL fragment (never sent to the server or in Referer headers)
 * and goes to the API in a POST body.
 */
export function PartnerReviewPage() {
  // Read once: the fragment is cleared after an answer, and the page must not then re-check it.
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "");
  const [review, setReview] = useState<ReviewByLink | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<{ decision: string; statusLabel: string } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!token) {
      setError(new ApiError("validation_failed", "This page needs the link from your email.", 400));
      return;
    }
    api
      .post<ReviewByLink>("/api/partner/review/lookup", { token })
      .then(setReview)
      .catch((e: unknown) => setError(toApiError(e)));
  }, [token]);

  const decide = async (decision: "approve" | "reject") => {
    setBusy(true);
    try {
      const r = await api.post<{ statusLabel: string }>("/api/partner/review/decide", { token, decision });
      // Forget the spent secret: reloading the page should not try it again.
      window.history.replaceState(null, "", window.location.pathname);
      setOutcome({ decision, statusLabel: r.statusLabel });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="signin">
      <h1 tabIndex={-1}>Data-sharing request</h1>
      {error ? (
        <Notice kind="error" title="This link cannot be used">
          {error.message}
        </Notice>
      ) : outcome ? (
        <Notice
          kind="ok"
          title={outcome.decision === "approve" ? "You approved the request" : "You rejected the request"}
        >
          Thank you. The request is now <strong data-testid="request-status">{outcome.statusLabel}</strong>.
        </Notice>
      ) : !review ? (
        <Loading what="the request" />
      ) : (
        <div className="stack">
          <p>
            <strong>{review.request.partnerName}</strong> ({review.request.requestedBy}) asks to see telemetry
            insights of <strong>{review.request.customerName}</strong>&apos;s Kith environment{" "}
            <strong>{review.request.environmentId}</strong> ({review.request.purpose}
            {review.request.project ? `, project ${review.request.project}` : ""}).
          </p>
          <RequestContext request={review.request} />
          <p className="muted small">
            You review as {review.reviewer.email}. Status: <StatusBadge request={review.request} />
            {review.reviewer.linkExpiresAt
              ? ` · this link works once, until ${fmtDateTime(review.reviewer.linkExpiresAt)}`
              : ""}
          </p>
          {review.canDecide ? (
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => void decide("approve")}>
                Approve
              </button>
              <button type="button" className="danger" disabled={busy} onClick={() => void decide("reject")}>
                Reject
              </button>
            </div>
          ) : (
            <Notice kind="info" title="Nothing to answer">
              This request no longer needs your answer (your answer: {review.reviewer.decision}).
            </Notice>
          )}
        </div>
      )}
    </main>
  );
}
