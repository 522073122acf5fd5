// Generated from /openapi.json by scripts/web-types.ts (openapi-typescript). Do not edit: change the
// route schemas in src/api/ and run `npm run web-types`.
export interface paths {
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Landing page
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/accounts/{account}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An account (CRM id or domain) with its contacts and opportunities; a domain Kith knows people at but no CRM account lists is answered with inCrm false
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    account: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            account: {
                                domains: string[];
                                id: string | null;
                                inCrm: boolean;
                                name: string;
                            };
                            contacts: {
                                email: string | null;
                                id: string;
                                name: string;
                            }[];
                            opportunities: {
                                currency: string | null;
                                estimatedClose: string | null;
                                estimatedRevenue: number | null;
                                id: string;
                                name: string;
                                stage: string | null;
                                status: "open" | "won" | "lost";
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/accounts/{account}/engagement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Aggregated, de-identified account engagement for a closed period, with differential-privacy noise; figures behind fewer than 5 colleagues are suppressed. Answered from the period's stored release (the same numbers for everyone until it expires); a fresh release spends the tenant's ε budget, and once that is spent a cell never released is refused (409 privacy_budget_exhausted)
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query: {
                    /** @description year:YYYY, month:YYYY-MM or week:YYYY-MM-W */
                    period: string;
                };
                header?: never;
                path: {
                    account: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            account: {
                                id: string;
                                name: string;
                            };
                            engagement: {
                                accountId: string;
                                engagementScore: {
                                    /** @enum {boolean} */
                                    noised: true;
                                    /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                    noiseSd?: number;
                                    value: number;
                                } | {
                                    /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                    reason: "suppressed" | "no_peers";
                                    value: null;
                                };
                                figures: {
                                    emailsFromAccount: {
                                        /** @enum {boolean} */
                                        noised: true;
                                        /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                        noiseSd?: number;
                                        value: number;
                                    } | {
                                        /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                        reason: "suppressed" | "no_peers";
                                        value: null;
                                    };
                                    emailsToAccount: {
                                        /** @enum {boolean} */
                                        noised: true;
                                        /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                        noiseSd?: number;
                                        value: number;
                                    } | {
                                        /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                        reason: "suppressed" | "no_peers";
                                        value: null;
                                    };
                                    meetingsInitiatedByThem: {
                                        /** @enum {boolean} */
                                        noised: true;
                                        /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                        noiseSd?: number;
                                        value: number;
                                    } | {
                                        /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                        reason: "suppressed" | "no_peers";
                                        value: null;
                                    };
                                    meetingsInitiatedByUs: {
                                        /** @enum {boolean} */
                                        noised: true;
                                        /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                        noiseSd?: number;
                                        value: number;
                                    } | {
                                        /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                        reason: "suppressed" | "no_peers";
                                        value: null;
                                    };
                                    ourPeopleInvolved: {
                                        /** @enum {boolean} */
                                        noised: true;
                                        /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                        noiseSd?: number;
                                        value: number;
                                    } | {
                                        /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                        reason: "suppressed" | "no_peers";
                                        value: null;
                                    };
                                    theirPeopleInvolved: {
                                        /** @enum {boolean} */
                                        noised: true;
                                        /** @description standard deviation of the noise added (public: set by ε and the caps) */
                                        noiseSd?: number;
                                        value: number;
                                    } | {
                                        /** @description suppressed: fewer than 5 colleagues behind it; no_peers: no other account released */
                                        reason: "suppressed" | "no_peers";
                                        value: null;
                                    };
                                };
                                /** @description canonical period: year:YYYY, month:YYYY-MM or week:YYYY-MM-W */
                                period: string;
                            };
                            /** @description the tenant's ε ledger: administrators only */
                            privacyBudget?: {
                                epsilonBudget: number;
                                epsilonRemaining: number;
                                epsilonSpent: number;
                                /** @description ε a fresh release spends */
                                releaseEpsilon: number;
                                releases: number;
                            };
                            release: {
                                /** @description ε this release spent */
                                epsilon: number;
                                expiresAt: string | null;
                                /** @description this request made the release */
                                fresh: boolean;
                                /** @description 1 for the period's first release, +1 for each fresh one */
                                generation: number;
                                /** Format: date-time */
                                releasedAt: string;
                                /** @description expired, served because the budget cannot pay for a fresh one */
                                stale: boolean;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/accounts/{account}/introducers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Account view: colleagues who know anyone at an account (CRM account id or domain)
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: {
                    asOf?: string;
                };
                header?: never;
                path: {
                    account: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            account: {
                                domains: string[];
                                id: string | null;
                                name: string;
                            };
                            /** Format: date-time */
                            asOf: string;
                            introducers: {
                                email: string;
                                explanation: string;
                                knows: {
                                    label: string;
                                    name?: string;
                                    personId: string;
                                    score: number;
                                }[];
                                label: string;
                                lastInteraction: {
                                    date: string;
                                    type: string;
                                } | null;
                                name: string;
                                peopleKnown: number;
                                score: number;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit log entries, newest first (System Administrator)
         * @description Access: roles: System Administrator.
         */
        get: {
            parameters: {
                query?: {
                    /** @description action prefix, e.g. consent. */
                    action?: string;
                    /** @description who acted, exactly as the log names them (an address) */
                    actor?: string;
                    beforeSeq?: number;
                    /** @description entries at or after this instant */
                    from?: string;
                    limit?: number;
                    /** @description entries before this instant */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: {
                                action: string;
                                actor: string;
                                /** Format: date-time */
                                at: string;
                                details: {
                                    [key: string]: unknown;
                                };
                                hash: string;
                                seq: number;
                                subject: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The filtered audit log as CSV, newest first, with readable details (System Administrator)
         * @description Access: roles: System Administrator.
         */
        get: {
            parameters: {
                query?: {
                    /** @description action prefix, e.g. consent. */
                    action?: string;
                    /** @description who acted, exactly as the log names them (an address) */
                    actor?: string;
                    /** @description entries at or after this instant */
                    from?: string;
                    /** @description entries before this instant */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/csv: seq, at, actor, action, subject, details, hash */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the hash chain; ok false names each edited or removed entry (System Administrator)
         * @description Access: roles: System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checked: number;
                            headHash: string;
                            ok: boolean;
                            problems: {
                                message: string;
                                problem: string;
                                seq: number;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/backups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The backup files in KITH_BACKUP_DIR, newest first (operator only; 409 when it is not set)
         * @description Access: operator token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            backups: {
                                bytes: number;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description the file's name inside KITH_BACKUP_DIR */
                                name: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Write a backup of the whole store into KITH_BACKUP_DIR, as `kith backup` does (operator only)
         * @description Needs KITH_BACKUP_DIR, KITH_BACKUP_KEYSTORE and KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE in the server's environment; without one of them the answer is 409 naming it, and nothing is written. The KEK is never echoed. Restore is CLI-only: `kith restore FILE`, into an empty store that no server is running on. Access: operator token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            backupId: string;
                            bytes: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description how long the backup took */
                            ms: number;
                            /** @description the file's name inside KITH_BACKUP_DIR */
                            name: string;
                            /** @description rows per table */
                            rows: {
                                [key: string]: number;
                            };
                            /** @description tenants backed up, each one's collected data sealed under its data key */
                            tenants: number;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Consents with what each allows, history, opt-out groups, role grants, who shares, the 14-day enablement state
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description collection restarted here after a re-grant; nothing dated earlier is collected */
                            collectFrom: string | null;
                            collectionRoles: string[] | null;
                            consents: {
                                changedAt: string | null;
                                changedBy: string | null;
                                granted: boolean;
                                produces: string;
                                title: string;
                                type: "personal" | "aggregated" | "identifiable";
                                visibleTo: string;
                            }[];
                            history: {
                                /** Format: date-time */
                                at: string;
                                by: string;
                                granted: boolean;
                                type: string;
                            }[];
                            insightRoles: {
                                relationship_analytics: string[];
                                who_knows_whom: string[];
                            };
                            optedOutGroupIds: string[];
                            relationshipIntelligence: {
                                /** Format: date-time */
                                at?: string;
                                daysLeft?: number;
                                /** Format: date-time */
                                deadline?: string;
                                /** @description what brings withheld collection or insights back; null when nothing is withheld */
                                restore: string | null;
                                state: "disabled" | "active" | "awaiting_consent" | "switched_off" | "turned_off";
                                /** @description what the state means, in words */
                                summary: string;
                            };
                            users: {
                                inOptedOutGroups: number;
                                optedOutByUser: number;
                                outsideCollectionRoles: number;
                                /** @description users whose mail is collected now */
                                sharing: number;
                                total: number;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/consent/{type}/grant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Grant a consent type (Global Administrator); every user not personally opted out is opted in
         * @description Access: roles: Global Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description personal | aggregated | identifiable */
                    type: "personal" | "aggregated" | "identifiable";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            /** Format: date-time */
                            collectFrom?: string;
                            granted: boolean;
                            receipt?: {
                                /** Format: date-time */
                                at: string;
                                counts: {
                                    [key: string]: number;
                                };
                                id: string;
                                reason: string;
                                scope: string;
                            };
                            relationshipIntelligence?: {
                                /** Format: date-time */
                                at?: string;
                                daysLeft?: number;
                                /** Format: date-time */
                                deadline?: string;
                                /** @description what brings withheld collection or insights back; null when nothing is withheld */
                                restore: string | null;
                                state: "disabled" | "active" | "awaiting_consent" | "switched_off" | "turned_off";
                                /** @description what the state means, in words */
                                summary: string;
                            };
                            type: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/consent/{type}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw a consent type (Global Administrator); withdrawing the last collection consent deletes collected data at once
         * @description Access: roles: Global Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description personal | aggregated | identifiable */
                    type: "personal" | "aggregated" | "identifiable";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            /** Format: date-time */
                            collectFrom?: string;
                            granted: boolean;
                            receipt?: {
                                /** Format: date-time */
                                at: string;
                                counts: {
                                    [key: string]: number;
                                };
                                id: string;
                                reason: string;
                                scope: string;
                            };
                            relationshipIntelligence?: {
                                /** Format: date-time */
                                at?: string;
                                daysLeft?: number;
                                /** Format: date-time */
                                deadline?: string;
                                /** @description what brings withheld collection or insights back; null when nothing is withheld */
                                restore: string | null;
                                state: "disabled" | "active" | "awaiting_consent" | "switched_off" | "turned_off";
                                /** @description what the state means, in words */
                                summary: string;
                            };
                            type: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/consent/opt-out-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace the opted-out security group ids (Global Administrator; future collections only)
         * @description Access: roles: Global Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        groupIds: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            optedOutGroupIds: string[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/directory/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import a directory document (users, aliases, groups, memberships, roles); all or nothing, idempotent
         * @description Access: roles: System Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description The JSON directory format of README 'Directory files' */
            requestBody: {
                content: {
                    "application/json": {
                        groups?: unknown[];
                        roles?: string[];
                        users: unknown[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changes: string[];
                            groups: {
                                created: number;
                                updated: number;
                            };
                            memberships: {
                                added: number;
                                ended: number;
                            };
                            roleAssignments: {
                                added: number;
                                ended: number;
                            };
                            rolesCreated: string[];
                            users: {
                                created: number;
                                unchanged: number;
                                updated: number;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/directory/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Directory users with their current roles
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: {
                                aliases: string[];
                                displayName: string;
                                email: string;
                                id: string;
                                isGuest: boolean;
                                roles: string[];
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/directory/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One directory user of the tenant
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            aliases: string[];
                            displayName: string;
                            email: string;
                            id: string;
                            isGuest: boolean;
                            roles: string[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/doctor": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The checks of `kith doctor --json`: store, migrations, job queue, consent and last sync per tenant, disk free (operator only; 503 with the same report when a check fails)
         * @description Access: operator token.
         */
        get: {
            parameters: {
                query?: {
                    /** @description free disk bytes below which the disk check fails (default 1 GiB) */
                    minFree?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report of `kith doctor --json` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            at: string;
                            checks: {
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                                name: string;
                                status: "ok" | "warn" | "fail";
                            }[];
                            /** @description no check failed */
                            ok: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The report of `kith doctor --json` */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            at: string;
                            checks: {
                                details?: {
                                    [key: string]: unknown;
                                };
                                message: string;
                                name: string;
                                status: "ok" | "warn" | "fail";
                            }[];
                            /** @description no check failed */
                            ok: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's background jobs (sync, backfill, recompute, purge checks) and their state
         * @description Access: roles: System Administrator.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description job name prefix, e.g. ingest. */
                    name?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            jobs: {
                                attempts: number;
                                /** Format: date-time */
                                createdAt: string;
                                finishedAt: string | null;
                                id: string;
                                lastError: string | null;
                                name: string;
                                result: unknown;
                                /** Format: date-time */
                                runAt: string;
                                status: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/kpis/{type}/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Relationship analytics (KPIs) and health of a contact, lead, opportunity or account (CRM id, email or domain)
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    type: "contact" | "lead" | "opportunity" | "account";
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            health: {
                                factors: {
                                    completedInWindow: {
                                        call: number;
                                        email: number;
                                        meeting: number;
                                        task: number;
                                    };
                                    daysSinceLast: number;
                                    expectedIntervalDays: number;
                                    frequency: {
                                        explanation: string;
                                        value: number | null;
                                        /** @description effective weight after re-weighting (0 when value is null) */
                                        weight: number;
                                    };
                                    recency: {
                                        explanation: string;
                                        value: number | null;
                                        /** @description effective weight after re-weighting (0 when value is null) */
                                        weight: number;
                                    };
                                    reciprocity: {
                                        explanation: string;
                                        value: number | null;
                                        /** @description effective weight after re-weighting (0 when value is null) */
                                        weight: number;
                                    };
                                    responsiveness: {
                                        explanation: string;
                                        value: number | null;
                                        /** @description effective weight after re-weighting (0 when value is null) */
                                        weight: number;
                                    };
                                    typeWeights: {
                                        call: number;
                                        email: number;
                                        meeting: number;
                                        task: number;
                                    };
                                    windowDays: number;
                                } | null;
                                grade: ("good" | "fair" | "poor") | null;
                                previousScore: number | null;
                                /** @description why there is no score */
                                reason?: string;
                                score: number | null;
                                state: "good" | "fair" | "poor" | "not_enough_info" | "no_closed_activities" | "computing" | "error" | "older_than_2_years";
                                trend: "improving" | "steady" | "declining" | "not_enough_info";
                            } | null;
                            kpis: {
                                activityCount: number;
                                /** @description last 60 days, oldest first */
                                dailySeries: {
                                    call: {
                                        in: number;
                                        out: number;
                                    };
                                    date: string;
                                    email: {
                                        in: number;
                                        out: number;
                                    };
                                    meeting: {
                                        in: number;
                                        out: number;
                                    };
                                    task: {
                                        in: number;
                                        out: number;
                                    };
                                }[];
                                lastInteraction: {
                                    /** @description epoch milliseconds */
                                    at: number;
                                    direction: ("out" | "in") | null;
                                    kind: "email" | "meeting" | "call" | "task";
                                    /** @description only when the viewer may see it */
                                    subject?: string;
                                } | null;
                                nextInteraction: {
                                    /** @description epoch milliseconds */
                                    at: number;
                                    direction: ("out" | "in") | null;
                                    kind: "email" | "meeting" | "call" | "task";
                                    /** @description only when the viewer may see it */
                                    subject?: string;
                                } | null;
                                ours: {
                                    averageFirstResponseHours: number | null;
                                    callsMade: number;
                                    callsReceived: number;
                                    emailsReceived: number;
                                    emailsSent: number;
                                    meetingsInitiated: number;
                                    /** @description the other side's people this side contacted most (top 3) */
                                    mostContacted: {
                                        address: string;
                                        count: number;
                                        /** @description a colleague's display name (our side's people) */
                                        name?: string;
                                    }[];
                                    /** @description the other side's people who contacted this side most (top 3); on `theirs`: our colleagues */
                                    mostContactedBy: {
                                        address: string;
                                        count: number;
                                        /** @description a colleague's display name (our side's people) */
                                        name?: string;
                                    }[];
                                    replies: number;
                                    responseRate: number | null;
                                    sentReceivedRatio: number | null;
                                    timeSpentMinutes: {
                                        calls: number;
                                        emails: number;
                                        meetings: number;
                                        tasks: number;
                                        total: number;
                                    };
                                };
                                record: {
                                    id: string;
                                    type: "contact" | "lead" | "opportunity" | "account";
                                };
                                summary: string;
                                theirs: {
                                    averageFirstResponseHours: number | null;
                                    callsMade: number;
                                    callsReceived: number;
                                    emailsReceived: number;
                                    emailsSent: number;
                                    meetingsInitiated: number;
                                    /** @description the other side's people this side contacted most (top 3) */
                                    mostContacted: {
                                        address: string;
                                        count: number;
                                        /** @description a colleague's display name (our side's people) */
                                        name?: string;
                                    }[];
                                    /** @description the other side's people who contacted this side most (top 3); on `theirs`: our colleagues */
                                    mostContactedBy: {
                                        address: string;
                                        count: number;
                                        /** @description a colleague's display name (our side's people) */
                                        name?: string;
                                    }[];
                                    replies: number;
                                    responseRate: number | null;
                                    sentReceivedRatio: number | null;
                                    timeSpentMinutes: {
                                        calls: number;
                                        emails: number;
                                        meetings: number;
                                        tasks: number;
                                        total: number;
                                    };
                                };
                            };
                            record: {
                                id: string;
                                name: string;
                                type: string;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A lead (CRM id or email): name, email, company, status and owner
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            company: string | null;
                            email: string | null;
                            id: string;
                            name: string;
                            owner: {
                                email: string;
                                name: string | null;
                            } | null;
                            status: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/network": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My network: my strongest ties, fading relationships and response times (only I see them)
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            asOf: string;
                            fading: ({
                                explanation: string;
                                label: string;
                                lastInteraction: string | null;
                                name?: string;
                                personId: string;
                                score: number;
                            } & {
                                drop: number;
                                scoreThen: number;
                            })[];
                            responseTimes: {
                                mine: {
                                    averageHours: number | null;
                                    medianHours: number | null;
                                    rate: number | null;
                                    replies: number;
                                };
                                theirs: {
                                    averageHours: number | null;
                                    medianHours: number | null;
                                    rate: number | null;
                                    replies: number;
                                };
                            };
                            strongestTies: {
                                explanation: string;
                                label: string;
                                lastInteraction: string | null;
                                name?: string;
                                personId: string;
                                score: number;
                            }[];
                            user: {
                                email: string;
                                name: string | null;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/opportunities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My open opportunities by relationship: each with its health (sort and chart them client-side)
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            opportunities: {
                                account: string | null;
                                currency: string | null;
                                estimatedClose: string | null;
                                estimatedRevenue: number | null;
                                health: {
                                    factors: {
                                        completedInWindow: {
                                            call: number;
                                            email: number;
                                            meeting: number;
                                            task: number;
                                        };
                                        daysSinceLast: number;
                                        expectedIntervalDays: number;
                                        frequency: {
                                            explanation: string;
                                            value: number | null;
                                            /** @description effective weight after re-weighting (0 when value is null) */
                                            weight: number;
                                        };
                                        recency: {
                                            explanation: string;
                                            value: number | null;
                                            /** @description effective weight after re-weighting (0 when value is null) */
                                            weight: number;
                                        };
                                        reciprocity: {
                                            explanation: string;
                                            value: number | null;
                                            /** @description effective weight after re-weighting (0 when value is null) */
                                            weight: number;
                                        };
                                        responsiveness: {
                                            explanation: string;
                                            value: number | null;
                                            /** @description effective weight after re-weighting (0 when value is null) */
                                            weight: number;
                                        };
                                        typeWeights: {
                                            call: number;
                                            email: number;
                                            meeting: number;
                                            task: number;
                                        };
                                        windowDays: number;
                                    } | null;
                                    grade: ("good" | "fair" | "poor") | null;
                                    previousScore: number | null;
                                    /** @description why there is no score */
                                    reason?: string;
                                    score: number | null;
                                    state: "good" | "fair" | "poor" | "not_enough_info" | "no_closed_activities" | "computing" | "error" | "older_than_2_years";
                                    trend: "improving" | "steady" | "declining" | "not_enough_info";
                                } | null;
                                id: string;
                                name: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My data-sharing settings and my deletion receipts
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            hideAsIntroducer: boolean;
                            receipts: {
                                /** Format: date-time */
                                at: string;
                                counts: {
                                    [key: string]: number;
                                };
                                id: string;
                                reason: string;
                                scope: string;
                            }[];
                            sharing: "default" | "on" | "off";
                            sharingChangedAt: string | null;
                            sharingEffective: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/privacy/introducer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Hide me from introductions (or show me again) without stopping data sharing
         * @description Access: any signed-in user of the tenant.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        hidden: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            hidden: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/privacy/sharing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Turn my data sharing on or off; off deletes my collected data at once and returns a receipt
         * @description Access: any signed-in user of the tenant.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        on: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            email: string;
                            receipt?: {
                                /** Format: date-time */
                                at: string;
                                counts: {
                                    [key: string]: number;
                                };
                                id: string;
                                reason: string;
                                scope: string;
                            };
                            sharing: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/opportunities/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An opportunity: name, stage, amount and currency, close date, account, owner, sales team and buying committee
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            currency: string | null;
                            estimatedClose: string | null;
                            estimatedRevenue: number | null;
                            id: string;
                            name: string;
                            stage: string | null;
                            status: "open" | "won" | "lost";
                        } & {
                            account: {
                                id: string;
                                name: string;
                            } | null;
                            buyingCommittee: {
                                contactId: string;
                                email: string | null;
                                name: string;
                                roles: ("customer contact" | "stakeholder" | "primary contact")[];
                            }[];
                            owner: {
                                email: string;
                                name: string | null;
                            } | null;
                            salesTeam: {
                                email: string;
                                name: string | null;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My tenant's data-sharing requests with their consent status (Partner Administrator)
         * @description Access: roles: Partner Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            requests: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Ask a customer tenant for its telemetry insights (Partner Administrator). The answer never depends on the customer: reviewers who are its employees are mailed a link; the request is created either way. At most 20 attempts an hour per user and 60 per tenant (429 beyond)
         * @description Access: roles: Partner Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        confirmedEmployees: boolean;
                        environmentId: string;
                        project?: string | null;
                        purpose: string;
                        reviewers: string[];
                        targetTenantId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: this server has no SMTP server (KITH_SMTP_URL), so no reviewer was mailed; they can answer when signed in (a server setting, the same for every request) */
                            mailConfigured: boolean;
                            request: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One data-sharing request (Partner Administrator)
         * @description Access: roles: Partner Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            closedReason: "rejected" | "revoked" | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                            customerName: string | null;
                            customerTenantId: string;
                            environmentId: string;
                            id: string;
                            partnerName: string;
                            partnerTenantId: string;
                            project: string | null;
                            purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                            requestedBy: string;
                            reviewers: {
                                decidedAt: string | null;
                                decision: "pending" | "approved" | "rejected" | "cancelled";
                                /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                directoryUser?: boolean;
                                email: string;
                                /** Format: date-time */
                                invitedAt: string;
                                linkExpiresAt: string | null;
                                slot: number;
                            }[];
                            status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                            statusLabel: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel both reviewer requests; the reviewers become editable again (Partner Administrator)
         * @description Access: roles: Partner Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            closedReason: "rejected" | "revoked" | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                            customerName: string | null;
                            customerTenantId: string;
                            environmentId: string;
                            id: string;
                            partnerName: string;
                            partnerTenantId: string;
                            project: string | null;
                            purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                            requestedBy: string;
                            reviewers: {
                                decidedAt: string | null;
                                decision: "pending" | "approved" | "rejected" | "cancelled";
                                /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                directoryUser?: boolean;
                                email: string;
                                /** Format: date-time */
                                invitedAt: string;
                                linkExpiresAt: string | null;
                                slot: number;
                            }[];
                            status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                            statusLabel: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests/{id}/insights": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The customer's telemetry insights (last 7 results, 30 days of detail); only while Allowed (Partner Administrator)
         * @description Access: roles: Partner Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            insights: {
                                category: string;
                                description: string;
                                detail: {
                                    day: string;
                                    value: number;
                                }[];
                                /** Format: date-time */
                                detectedAt: string;
                                id: string;
                                impact: "high" | "medium" | "low";
                                rule: string;
                                scope: string;
                                title: string;
                                unit: string;
                            }[];
                            request: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            windowDays: number;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests/{id}/insights/{insightId}/dismiss": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dismiss one telemetry insight result (Partner Administrator)
         * @description Access: roles: Partner Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    insightId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dismissed: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests/{id}/resubmit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a cancelled request again to two (edited) reviewers (Partner Administrator; counts toward the request limit)
         * @description Access: roles: Partner Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        confirmedEmployees: boolean;
                        reviewers: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: this server has no SMTP server (KITH_SMTP_URL), so no reviewer was mailed; they can answer when signed in (a server setting, the same for every request) */
                            mailConfigured: boolean;
                            request: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/requests/{id}/reviewers/{slot}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace one reviewer of a pending request: the old link dies, the new reviewer is mailed if an employee of the customer (Partner Administrator; counts toward the request limit)
         * @description Access: roles: Partner Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    slot: 1 | 2;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        confirmedEmployee: boolean;
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description false: this server has no SMTP server (KITH_SMTP_URL), so no reviewer was mailed; they can answer when signed in (a server setting, the same for every request) */
                            mailConfigured: boolean;
                            request: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/review/decide": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject from a reviewer's emailed link; the link works once
         * @description Access: public.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        decision: "approve" | "reject";
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                            statusLabel: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/review/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a reviewer's emailed link asks for; does not spend the link (the link is the credential)
         * @description Access: public.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            canDecide: boolean;
                            request: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            };
                            reviewer: {
                                decidedAt: string | null;
                                decision: "pending" | "approved" | "rejected" | "cancelled";
                                /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                directoryUser?: boolean;
                                email: string;
                                /** Format: date-time */
                                invitedAt: string;
                                linkExpiresAt: string | null;
                                slot: number;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Partner requests that name me as a reviewer (the data-consent page)
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            reviews: {
                                canDecide: boolean;
                                decision: "pending" | "approved" | "rejected" | "cancelled";
                                request: {
                                    closedReason: "rejected" | "revoked" | null;
                                    /** Format: date-time */
                                    createdAt: string;
                                    /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                    customerName: string | null;
                                    customerTenantId: string;
                                    environmentId: string;
                                    id: string;
                                    partnerName: string;
                                    partnerTenantId: string;
                                    project: string | null;
                                    purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                    requestedBy: string;
                                    reviewers: {
                                        decidedAt: string | null;
                                        decision: "pending" | "approved" | "rejected" | "cancelled";
                                        /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                        directoryUser?: boolean;
                                        email: string;
                                        /** Format: date-time */
                                        invitedAt: string;
                                        linkExpiresAt: string | null;
                                        slot: number;
                                    }[];
                                    status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                    statusLabel: string;
                                    /** Format: date-time */
                                    updatedAt: string;
                                };
                                slot: number;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/reviews/{id}/decide": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or reject a request that names me as a reviewer (signed in)
         * @description Access: any signed-in user of the tenant.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        decision: "approve" | "reject";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            closedReason: "rejected" | "revoked" | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                            customerName: string | null;
                            customerTenantId: string;
                            environmentId: string;
                            id: string;
                            partnerName: string;
                            partnerTenantId: string;
                            project: string | null;
                            purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                            requestedBy: string;
                            reviewers: {
                                decidedAt: string | null;
                                decision: "pending" | "approved" | "rejected" | "cancelled";
                                /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                directoryUser?: boolean;
                                email: string;
                                /** Format: date-time */
                                invitedAt: string;
                                linkExpiresAt: string | null;
                                slot: number;
                            }[];
                            status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                            statusLabel: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/shared": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Partner requests for this tenant's telemetry and their status (Global Administrator)
         * @description Access: roles: Global Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            requests: {
                                closedReason: "rejected" | "revoked" | null;
                                /** Format: date-time */
                                createdAt: string;
                                /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                                customerName: string | null;
                                customerTenantId: string;
                                environmentId: string;
                                id: string;
                                partnerName: string;
                                partnerTenantId: string;
                                project: string | null;
                                purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                                requestedBy: string;
                                reviewers: {
                                    decidedAt: string | null;
                                    decision: "pending" | "approved" | "rejected" | "cancelled";
                                    /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                    directoryUser?: boolean;
                                    email: string;
                                    /** Format: date-time */
                                    invitedAt: string;
                                    linkExpiresAt: string | null;
                                    slot: number;
                                }[];
                                status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                                statusLabel: string;
                                /** Format: date-time */
                                updatedAt: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/partner/shared/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an Allowed partner request at any time (Global Administrator)
         * @description Access: roles: Global Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            closedReason: "rejected" | "revoked" | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description null while the request is not Allowed: the name is not resolved from the tenant id */
                            customerName: string | null;
                            customerTenantId: string;
                            environmentId: string;
                            id: string;
                            partnerName: string;
                            partnerTenantId: string;
                            project: string | null;
                            purpose: "production" | "uat" | "sandbox" | "performance" | "dev";
                            requestedBy: string;
                            reviewers: {
                                decidedAt: string | null;
                                decision: "pending" | "approved" | "rejected" | "cancelled";
                                /** @description the customer's views only: whether the address is an employee in its directory (only those get a link) */
                                directoryUser?: boolean;
                                email: string;
                                /** Format: date-time */
                                invitedAt: string;
                                linkExpiresAt: string | null;
                                slot: number;
                            }[];
                            status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
                            statusLabel: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/privacy/forget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Forget an external person at their request: their address leaves interactions, people, connection strengths and the CRM copy, and stays out of later imports (Global or System Administrator)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        address: string;
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the address had been forgotten before; this request removed what came in since */
                            alreadyForgotten: boolean;
                            /** @description What a deletion request removed, when and by whom */
                            receipt: {
                                /** @description HMAC-SHA256 of the address under the tenant's key: the receipt never holds the address */
                                addressHash: string;
                                /** Format: date-time */
                                at: string;
                                /** @description rows removed, by kind */
                                counts: {
                                    [key: string]: number;
                                };
                                durationMs: number;
                                /** @description the receipt id */
                                id: string;
                                reason: string;
                                /** @description who made the request in Kith */
                                requestedBy: string;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/privacy/forget-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deletion requests by external people, newest first; with ?address= only that address's (checked by its keyed hash)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: {
                    address?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            requests: {
                                /** @description HMAC-SHA256 of the address under the tenant's key: the receipt never holds the address */
                                addressHash: string;
                                /** Format: date-time */
                                at: string;
                                /** @description rows removed, by kind */
                                counts: {
                                    [key: string]: number;
                                };
                                durationMs: number;
                                /** @description the receipt id */
                                id: string;
                                reason: string;
                                /** @description who made the request in Kith */
                                requestedBy: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/privacy/forget-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One deletion request's receipt
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What a deletion request removed, when and by whom */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description HMAC-SHA256 of the address under the tenant's key: the receipt never holds the address */
                            addressHash: string;
                            /** Format: date-time */
                            at: string;
                            /** @description rows removed, by kind */
                            counts: {
                                [key: string]: number;
                            };
                            durationMs: number;
                            /** @description the receipt id */
                            id: string;
                            reason: string;
                            /** @description who made the request in Kith */
                            requestedBy: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The retention window and where its cutoff is now (default 24 months)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cutoff: string | null;
                            /** @description collected data older than this many months is removed daily; null keeps everything */
                            months: number | null;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Change the retention window (1–240 months, or off to keep everything); the daily job applies it
         * @description Access: roles: Global Administrator or System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 1–240 months, or off to keep everything */
                        months: number | "off";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            cutoff: string | null;
                            /** @description collected data older than this many months is removed daily; null keeps everything */
                            months: number | null;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Enable or disable relationship intelligence (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        enabled: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            at?: string;
                            daysLeft?: number;
                            /** Format: date-time */
                            deadline?: string;
                            /** @description what brings withheld collection or insights back; null when nothing is withheld */
                            restore: string | null;
                            state: "disabled" | "active" | "awaiting_consent" | "switched_off" | "turned_off";
                            /** @description what the state means, in words */
                            summary: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/collection-roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Collect only holders of these roles, or every user with null (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        roles: string[] | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            collectionRoles: string[] | null;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/ingest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Import and backfill batches, newest first: the monthly backfill progress (System Administrator)
         * @description Access: roles: System Administrator.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            batches: {
                                finishedAt: string | null;
                                id: string;
                                kind: string;
                                label: string;
                                /** Format: date-time */
                                startedAt: string;
                                status: string;
                                summary: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/insight-roles/{insight}/{role}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant an identifiable insight to a role (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    insight: "who_knows_whom" | "relationship_analytics";
                    role: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            insight: string;
                            roles: string[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Revoke an identifiable insight from a role (System Administrator)
         * @description Access: roles: System Administrator.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    insight: "who_knows_whom" | "relationship_analytics";
                    role: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            insight: string;
                            roles: string[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Relationship intelligence tuning: capture level, noise filters, strength weights, health scoring, introduction template (System Administrator)
         * @description Access: roles: System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            captureLevel: "metadata" | "subject";
                            /** @description Health scoring configuration (PUT /api/ri/settings/health changes it) */
                            health: {
                                bands: {
                                    fair: number;
                                    good: number;
                                };
                                editable: boolean;
                                expectedFrequency: string;
                                typeWeightAdjustments: {
                                    [key: string]: number;
                                };
                            };
                            introductionTemplate: {
                                body: string;
                                subject: string;
                            };
                            noiseFilters: {
                                automated: boolean;
                                calendarNotifications: boolean;
                                internalOnly: boolean;
                                largeDistribution: boolean;
                                largeDistributionCap: number;
                                largeDistributionDampAbove: number;
                            };
                            strength: {
                                groupDamping: "inverse_sqrt" | "inverse_log" | "none";
                                groupSizeCap: number;
                                halfLifeDays: number;
                                inboundOnlyFactor: number;
                                longTailHalfLifeDays: number;
                                longTailShare: number;
                                oneWayCap: number;
                                oneWayFactor: number;
                                saturation: number;
                                weights: {
                                    email: {
                                        in: number;
                                        mutual: number;
                                        out: number;
                                    };
                                    meeting: {
                                        in: number;
                                        mutual: number;
                                        out: number;
                                    };
                                };
                            };
                            /** @description The tenant's self-fitted strength (weekly job insights.fit-strength): chosen on the earlier windows (choose), measured on the latest window not used to choose (report) against plain counting; null before the first fit or after a manual change */
                            strengthFit: {
                                /** Format: date-time */
                                asOf: string;
                                change: {
                                    [key: string]: unknown;
                                } | null;
                                choose: {
                                    /** @description MRR@5 of plain counting */
                                    frequency: number | null;
                                    /** @description contested people scored (two colleagues or more had mail with them) */
                                    targets: number;
                                    /** @description MRR@5 with the fitted parameters */
                                    tuned: number | null;
                                    /** @description MRR@5 with the administrator's own parameters */
                                    untuned: number | null;
                                };
                                chooseCutOffs: string[];
                                /** Format: date-time */
                                fittedAt: string;
                                gridSize: number;
                                horizonDays: number;
                                report: {
                                    /** @description MRR@5 of plain counting */
                                    frequency: number | null;
                                    /** @description contested people scored (two colleagues or more had mail with them) */
                                    targets: number;
                                    /** @description MRR@5 with the fitted parameters */
                                    tuned: number | null;
                                    /** @description MRR@5 with the administrator's own parameters */
                                    untuned: number | null;
                                };
                                /** Format: date-time */
                                reportCutOff: string;
                                status: "fitted" | "untuned_kept" | "insufficient_history";
                            } | null;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/settings/capture-level": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Capture level: metadata (default) or subject lines too (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        captureLevel: "metadata" | "subject";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            captureLevel: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/settings/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Health scoring: expected communication frequency, grade band minimums, activity type weights ±50 % (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        bands?: {
                            fair?: number;
                            good?: number;
                        };
                        expectedFrequency?: "daily" | "every_few_days" | "weekly" | "every_couple_of_weeks" | "monthly";
                        /** @description multipliers of the default weights, 0.5–1.5 */
                        typeWeightAdjustments?: {
                            call?: number;
                            email?: number;
                            meeting?: number;
                            task?: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Health scoring configuration (PUT /api/ri/settings/health changes it) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bands: {
                                fair: number;
                                good: number;
                            };
                            editable: boolean;
                            expectedFrequency: string;
                            typeWeightAdjustments: {
                                [key: string]: number;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/settings/introduction-template": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Set the introduction email template used by 'Get introduced' (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        body: string;
                        subject: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            body: string;
                            subject: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/settings/noise-filters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Switch noise filters on or off and set the large-distribution limits (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        automated?: boolean;
                        calendarNotifications?: boolean;
                        internalOnly?: boolean;
                        largeDistribution?: boolean;
                        largeDistributionCap?: number;
                        largeDistributionDampAbove?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            automated: boolean;
                            calendarNotifications: boolean;
                            internalOnly: boolean;
                            largeDistribution: boolean;
                            largeDistributionCap: number;
                            largeDistributionDampAbove: number;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ri/settings/weights": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change the strength weights per activity type and direction (System Administrator)
         * @description Access: roles: System Administrator.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email?: {
                            [key: string]: number;
                        };
                        meeting?: {
                            [key: string]: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            recomputed: boolean;
                            weights: {
                                email: {
                                    in: number;
                                    mutual: number;
                                    out: number;
                                };
                                meeting: {
                                    in: number;
                                    mutual: number;
                                    out: number;
                                };
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's SCIM tokens: label, creator, expiry, last use, state; never a secret
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tokens: {
                                /** Format: date-time */
                                createdAt: string;
                                /** @description "operator" (CLI) or the administrator's email */
                                createdBy: string;
                                /** @description null: never expires */
                                expiresAt: string | null;
                                id: string;
                                label: string;
                                /** @description when the token last authenticated (kept to the minute) */
                                lastUsedAt: string | null;
                                revokedAt: string | null;
                                revokedBy: string | null;
                                status: "active" | "expired" | "revoked";
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a SCIM bearer token for an identity provider, optionally expiring; the secret is shown only now
         * @description Access: roles: Global Administrator or System Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description instead of ttl
                         */
                        expiresAt?: string;
                        label?: string;
                        /** @description lifetime like 90d, 12h, 30m; omit for never */
                        ttl?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the SCIM base URL for the identity provider */
                            baseUrl: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description "operator" (CLI) or the administrator's email */
                            createdBy: string;
                            /** @description null: never expires */
                            expiresAt: string | null;
                            id: string;
                            label: string;
                            /** @description when the token last authenticated (kept to the minute) */
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                            revokedBy: string | null;
                            status: "active" | "expired" | "revoked";
                            /** @description the bearer secret; stored hashed, never shown again */
                            token: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/scim/tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a SCIM token at once: every SCIM request with it is refused with 401
         * @description Access: roles: Global Administrator or System Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description "operator" (CLI) or the administrator's email */
                            createdBy: string;
                            /** @description null: never expires */
                            expiresAt: string | null;
                            id: string;
                            label: string;
                            /** @description when the token last authenticated (kept to the minute) */
                            lastUsedAt: string | null;
                            revokedAt: string | null;
                            revokedBy: string | null;
                            status: "active" | "expired" | "revoked";
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Find people Kith knows, accounts, contacts, leads and opportunities by part of a name, email, company or domain; an empty q with one kind lists that kind (paged). Only what the viewer may see: people only when a colleague the viewer may see knows them
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: {
                    kind?: ("person" | "account" | "contact" | "lead" | "opportunity") | "all";
                    limit?: number;
                    offset?: number;
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accounts?: {
                                rows: {
                                    contacts: number;
                                    domains: string[];
                                    id: string;
                                    name: string;
                                    openOpportunities: number;
                                }[];
                                /** @description every match, beyond this page */
                                total: number;
                            };
                            contacts?: {
                                rows: {
                                    accountId: string | null;
                                    accountName: string | null;
                                    email: string | null;
                                    id: string;
                                    name: string;
                                }[];
                                /** @description every match, beyond this page */
                                total: number;
                            };
                            leads?: {
                                rows: {
                                    company: string | null;
                                    email: string | null;
                                    id: string;
                                    name: string;
                                    ownerEmail: string | null;
                                    status: string;
                                }[];
                                /** @description every match, beyond this page */
                                total: number;
                            };
                            opportunities?: {
                                rows: {
                                    accountId: string | null;
                                    accountName: string | null;
                                    currency: string | null;
                                    estimatedClose: string | null;
                                    estimatedRevenue: number | null;
                                    id: string;
                                    name: string;
                                    stage: string | null;
                                    status: "open" | "won" | "lost";
                                }[];
                                /** @description every match, beyond this page */
                                total: number;
                            };
                            people?: {
                                rows: {
                                    domain: string;
                                    email: string;
                                    /** @description colleagues the viewer may see who know this person */
                                    knownBy: number;
                                    name: string | null;
                                }[];
                                /** @description every match, beyond this page */
                                total: number;
                            };
                            query: string;
                            /** @description kinds the viewer may not search, and why (not the same as finding nothing) */
                            refused: {
                                code: "consent_required" | "insufficient_privileges" | "insights_disabled";
                                kinds: ("person" | "account" | "contact" | "lead" | "opportunity")[];
                                reason: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is signed in, with the CSRF token to send as x-csrf-token on state-changing requests
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            csrfToken: string | null;
                            /** Format: date-time */
                            expiresAt?: string;
                            user: {
                                displayName: string;
                                email: string;
                                isGuest: boolean;
                                roles: string[];
                                tenantId: string;
                                tenantSlug: string;
                                userId: string;
                            };
                            via: "session" | "bearer";
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live mail sources and each mailbox's sync state (administrators)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sources: {
                                /** Format: date-time */
                                createdAt: string;
                                hasCredential: boolean;
                                id: string;
                                kind: "imap" | "graph";
                                mailboxes: {
                                    /** @description where the next read starts (IMAP: folder UIDVALIDITY/last UID) */
                                    cursor: string | null;
                                    failureCount: number;
                                    hasCredential: boolean;
                                    imported: number;
                                    /** @description delivered to the mail server → stored in Kith, for the newest message of the last cycle that read any */
                                    lagMs: number | null;
                                    lastSuccessAt: string | null;
                                    login: string | null;
                                    mailbox: string;
                                    nextAttemptAt: string | null;
                                    /** @description why it is paused or failed, or what the last cycle set aside */
                                    reason: string | null;
                                    /** @description where the mailbox's sync is: a full fetch pending, fetching, importing, idle, paused (auth: see reason), failed (retrying) */
                                    stage: "pending_full_fetch" | "fetching" | "importing" | "idle" | "paused" | "failed";
                                    /** @description the worker syncing it now */
                                    worker: string | null;
                                }[];
                                name: string;
                                /** @description connection settings; never a secret */
                                settings: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Connect a live mail source (IMAP server or Microsoft 365 tenant) and its mailboxes (administrators)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        kind: "imap" | "graph";
                        mailboxes: {
                            address: string;
                            login?: string;
                            /** @description write-only: stored encrypted, never returned */
                            secret?: string;
                        }[];
                        name: string;
                        /** @description write-only: stored encrypted, never returned */
                        secret?: string;
                        /** @description IMAP: host, port, tls (implicit|starttls|none), auth (password|xoauth2), folders, pageSize. Graph: tenantId, clientId, tokenUrl, graphBaseUrl, folders, calendar (false or { pastDays, futureDays }), pageSize; the client secret goes in `secret` */
                        settings: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            hasCredential: boolean;
                            id: string;
                            kind: "imap" | "graph";
                            mailboxes: {
                                /** @description where the next read starts (IMAP: folder UIDVALIDITY/last UID) */
                                cursor: string | null;
                                failureCount: number;
                                hasCredential: boolean;
                                imported: number;
                                /** @description delivered to the mail server → stored in Kith, for the newest message of the last cycle that read any */
                                lagMs: number | null;
                                lastSuccessAt: string | null;
                                login: string | null;
                                mailbox: string;
                                nextAttemptAt: string | null;
                                /** @description why it is paused or failed, or what the last cycle set aside */
                                reason: string | null;
                                /** @description where the mailbox's sync is: a full fetch pending, fetching, importing, idle, paused (auth: see reason), failed (retrying) */
                                stage: "pending_full_fetch" | "fetching" | "importing" | "idle" | "paused" | "failed";
                                /** @description the worker syncing it now */
                                worker: string | null;
                            }[];
                            name: string;
                            /** @description connection settings; never a secret */
                            settings: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Disconnect a live mail source; what it imported stays (administrators)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            removed: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sources/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused or failed source or mailbox, optionally with a new secret (administrators)
         * @description Access: roles: Global Administrator or System Administrator.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mailbox?: string;
                        /** @description write-only: stored encrypted, never returned */
                        secret?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            hasCredential: boolean;
                            id: string;
                            kind: "imap" | "graph";
                            mailboxes: {
                                /** @description where the next read starts (IMAP: folder UIDVALIDITY/last UID) */
                                cursor: string | null;
                                failureCount: number;
                                hasCredential: boolean;
                                imported: number;
                                /** @description delivered to the mail server → stored in Kith, for the newest message of the last cycle that read any */
                                lagMs: number | null;
                                lastSuccessAt: string | null;
                                login: string | null;
                                mailbox: string;
                                nextAttemptAt: string | null;
                                /** @description why it is paused or failed, or what the last cycle set aside */
                                reason: string | null;
                                /** @description where the mailbox's sync is: a full fetch pending, fetching, importing, idle, paused (auth: see reason), failed (retrying) */
                                stage: "pending_full_fetch" | "fetching" | "importing" | "idle" | "paused" | "failed";
                                /** @description the worker syncing it now */
                                worker: string | null;
                            }[];
                            name: string;
                            /** @description connection settings; never a secret */
                            settings: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user's own tenant
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            domains: string[];
                            id: string;
                            name: string;
                            slug: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List every tenant of the deployment (operator only)
         * @description Access: operator token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tenants: {
                                /** Format: date-time */
                                createdAt: string;
                                domains: string[];
                                id: string;
                                name: string;
                                slug: string;
                            }[];
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a tenant with its verified domains and first administrator (operator only)
         * @description Access: operator token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        admin?: {
                            email: string;
                            name?: string;
                        };
                        domains: string[];
                        name: string;
                        slug?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            domains: string[];
                            id: string;
                            name: string;
                            slug: string;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/who-knows-whom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Up to 5 colleagues who know an external person, strongest first, each explained with an introduction draft; dormant ties (over a year old) below them; alternatives when nobody knows them currently
         * @description Access: any signed-in user of the tenant.
         */
        get: {
            parameters: {
                query: {
                    asOf?: string;
                    email: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alternatives?: {
                                accountIntroducers: ({
                                    email: string;
                                    explanation: string;
                                    knows: {
                                        label: string;
                                        name?: string;
                                        personId: string;
                                        score: number;
                                    }[];
                                    label: string;
                                    lastInteraction: {
                                        date: string;
                                        type: string;
                                    } | null;
                                    name: string;
                                    peopleKnown: number;
                                    score: number;
                                } & {
                                    introductionDraft: {
                                        body: string;
                                        subject: string;
                                        to: string;
                                    };
                                })[];
                                introPaths: {
                                    hops: {
                                        explanation: string;
                                        from: string;
                                        label: string;
                                        strength: number;
                                        to: string;
                                    }[];
                                    score: number;
                                    via: string[];
                                }[];
                            };
                            /** Format: date-time */
                            asOf: string;
                            /** @description Colleagues who knew the person but whose last counted interaction is over a year old, strongest then first; listed below the current introducers */
                            dormant: ({
                                email: string;
                                /** @description direct: mail or meetings counted towards strength; bulk: only mail to more people than the large-distribution cap in common (listed only when nobody has direct evidence, always weak) */
                                evidence: "direct" | "bulk";
                                explanation: string;
                                factors: {
                                    [key: string]: unknown;
                                };
                                introductionDraft: {
                                    body: string;
                                    subject: string;
                                    to: string;
                                };
                                /** @description strong ≥ 70, moderate 40–69, weak < 40 */
                                label: string;
                                lastInteraction: {
                                    date: string;
                                    type: string;
                                } | null;
                                name: string;
                                /** @description 0–100 */
                                strength: number;
                            } & {
                                /** @description the label at the last interaction */
                                labelThen: string;
                                /** @description 0–100: the strength at the last interaction */
                                strengthThen: number;
                            })[];
                            introducers: {
                                email: string;
                                /** @description direct: mail or meetings counted towards strength; bulk: only mail to more people than the large-distribution cap in common (listed only when nobody has direct evidence, always weak) */
                                evidence: "direct" | "bulk";
                                explanation: string;
                                factors: {
                                    [key: string]: unknown;
                                };
                                introductionDraft: {
                                    body: string;
                                    subject: string;
                                    to: string;
                                };
                                /** @description strong ≥ 70, moderate 40–69, weak < 40 */
                                label: string;
                                lastInteraction: {
                                    date: string;
                                    type: string;
                                } | null;
                                name: string;
                                /** @description 0–100 */
                                strength: number;
                            }[];
                            /** @description Only when every current introducer is weak: up to 3 warmer ways to reach one of them through the viewer's colleagues (viewer → [colleague →] introducer), each hop explained */
                            introPaths?: {
                                hops: {
                                    explanation: string;
                                    from: string;
                                    label: string;
                                    strength: number;
                                    to: string;
                                }[];
                                score: number;
                                via: string[];
                            }[];
                            target: {
                                account: string | null;
                                email: string;
                                name: string | null;
                                organisation: string | null;
                            };
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The web app (redirects to /app/)
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/app/{*}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The web app: its built files, and index.html for every client-side route
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    "*": string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/html; charset=utf-8": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Exchange a one-time sign-in link for a session cookie, then redirect home
         * @description Access: public.
         */
        get: {
            parameters: {
                query: {
                    /** @description where to land after signing in: a path or an absolute URL of this server's origin (sent on as its path); anything else lands on / */
                    returnTo?: string;
                    token: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description 303 redirect */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/link/request": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Email me a sign-in link: sends a one-time link to the address when it belongs to a user (one per tenant), and answers the same whether or not it does
         * @description Access: public.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        /** @description where to land after signing in: a path or an absolute URL of this server's origin (sent on as its path); anything else lands on / */
                        returnTo?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {boolean} */
                            ok: true;
                            /** @description false only when this server cannot send email (no SMTP configured): a property of the server, never of the address */
                            sent: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the credential that authenticated this request: the bearer session token when an Authorization header is sent, else the session cookie
         * @description Access: any signed-in user of the tenant.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {boolean} */
                            ok: true;
                            /** @description true: the session is ended and its token refused from now on; false: the credential was an OpenID Connect access token, which only the identity provider can revoke */
                            revoked: boolean;
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OpenID Connect redirect target: exchanges the code, maps the identity to a directory user
         * @description Access: public.
         */
        get: {
            parameters: {
                query: {
                    code?: string;
                    error?: string;
                    state: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description 303 redirect */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start OpenID Connect sign-in (authorization code with PKCE)
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: {
                    /** @description where to land after signing in: a path or an absolute URL of this server's origin (sent on as its path); anything else lands on / */
                    returnTo?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description 303 redirect */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process is up
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics: request rate and latency by route, job queue depth, ingest counters, sync lag (Bearer KITH_METRICS_TOKEN when set)
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: the store is reachable and every migration is applied (503 otherwise)
         * @description Access: public.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            engine: string;
                            /** @enum {string} */
                            status: "ready";
                        };
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Every error: a stable code, a message for people, optional details */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scim/v2/Groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List groups (filter displayName eq "…")
         * @description Access: the tenant's SCIM bearer token.
         */
        get: {
            parameters: {
                query?: {
                    count?: number;
                    /** @description attribute eq "value", e.g. userName eq "a@b.com" */
                    filter?: string;
                    startIndex?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        /**
         * Create a group
         * @description Access: the tenant's SCIM bearer token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: never;
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scim/v2/Groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One group with members
         * @description Access: the tenant's SCIM bearer token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        /**
         * Replace a group and its members
         * @description Access: the tenant's SCIM bearer token.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: never;
        };
        post?: never;
        /**
         * Delete a group (memberships end; history stays)
         * @description Access: the tenant's SCIM bearer token.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        options?: never;
        head?: never;
        /**
         * Patch a group (members add/remove/replace, displayName)
         * @description Access: the tenant's SCIM bearer token.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: never;
        };
        trace?: never;
    };
    "/scim/v2/Users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users (filter userName eq "…")
         * @description Access: the tenant's SCIM bearer token.
         */
        get: {
            parameters: {
                query?: {
                    count?: number;
                    /** @description attribute eq "value", e.g. userName eq "a@b.com" */
                    filter?: string;
                    startIndex?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        put?: never;
        /**
         * Create a user
         * @description Access: the tenant's SCIM bearer token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: never;
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/scim/v2/Users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One user
         * @description Access: the tenant's SCIM bearer token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        /**
         * Replace a user
         * @description Access: the tenant's SCIM bearer token.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: never;
        };
        post?: never;
        /**
         * Delete a user (memberships end; history stays)
         * @description Access: the tenant's SCIM bearer token.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: never;
        };
        options?: never;
        head?: never;
        /**
         * Patch a user (add, remove, replace)
         * @description Access: the tenant's SCIM bearer token.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            responses: never;
        };
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error: a stable code, a message for people, optional details */
        Error: {
            error: {
                code: "validation_failed" | "not_found" | "conflict" | "consent_required" | "insufficient_privileges" | "not_authenticated" | "insights_disabled" | "integrity_failed" | "unavailable" | "internal_error" | "rate_limited";
                details?: {
                    [key: string]: unknown;
                };
                message: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
