import { useState } from "react";
import { api } from "../api";
import type { SignInLinkAnswer } from "../types";
import { Notice, useAction } from "../ui";

const linkProblems: Record<string, { title: string; words: string }> = {
  expired: { title: "This sign-in link has expired", words: "Links work for a short time only." },
  used: { title: "This sign-in link was already used", words: "Each link works once." },
  invalid: { title: "This sign-in link is not valid", words: "It may have been copied only in part." },
};

/**
 * Signing in without an operator: Kith emails a one-time link to the address given, and says the
 * same whether or not the address has an account. A link that no longer works lands here too.
 */
export function SignInPage({ problem }: { problem: string | null }) {
  const [email, setEmail] = useState("");
  const [answer, setAnswer] = useState<SignInLinkAnswer | null>(null);
  const action = useAction();
  const issue = problem ? linkProblems[problem] : undefined;
  return (
    <main className="signin" id="main">
      <h1 tabIndex={-1}>Sign in to Kith</h1>
      {issue ? (
        <Notice kind="warn" title={issue.title}>
          {issue.words} Ask for a new one below.
        </Notice>
      ) : null}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () =>
            setAnswer(await api.post<SignInLinkAnswer>("/auth/link/request", { email: email.trim() })),
          );
        }}
      >
        <h2>
          <label htmlFor="signin-email">Email me a sign-in link</label>
        </h2>
        <p className="muted small">
          Your work email address. The link signs you in once; no password needed.
        </p>
        <input
          id="signin-email"
          type="email"
          required
          autoComplete="email"
          placeholder="you@company.com"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={action.busy}>
            Email me a link
          </button>
        </div>
        {answer ? (
          <Notice
            kind={answer.sent ? "ok" : "warn"}
            title={answer.sent ? "Check your inbox" : "No email sent"}
          >
            {answer.message}
          </Notice>
        ) : null}
        {action.error ? (
          <Notice kind="error" title="Something went wrong">
            {action.error.code === "validation_failed" ? "Enter an email address." : action.error.message}
          </Notice>
        ) : null}
      </form>
      <p className="muted small">
        No email arriving? Your administrator can also make you a link on the server:{" "}
        <code>npx kith login-link you@example.com --tenant TENANT</code>.
      </p>
    </main>
  );
}
