/** Row shapes of differentially private account engagement (migration 0009, SPEC §4.5). ε is in millionths. */

/** A tenant's ε ledger: the budget, the default ε per release, and what releases have spent. */
export interface EngagementPrivacyTable {
  tenant_id: string;
  budget_micro: number;
  release_epsilon_micro: number;
  spent_micro: number;
  /** Releases made so far (each spent its ε). */
  releases: number;
  updated_at: number;
}

/** The current release of one account in one period: what every viewer is shown until it expires. */
export interface EngagementReleaseTable {
  tenant_id: string;
  account_id: string;
  /** Canonical period key: `year:2001`, `month:2001-05`, `week:2001-05-2`. */
  period: string;
  /** 1 for the cell's first release, then +1 for each fresh one. */
  generation: number;
  released_at: number;
  /** Null once the cell has settled: the release is kept for good. */
  expires_at: number | null;
  epsilon_micro: number;
  /** JSON: the published figures and engagement score, exactly as shown. */
  figures: string;
  /** JSON array of figure names published by this or an earlier release of the cell. */
  published: string;
  /** Noisy engagement mass other accounts' scores rank against; null when suppressed. */
  mass: number | null;
}
