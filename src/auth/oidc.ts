import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import * as oidc from "openid-client";
import type { OidcConfig } from "../config/config";
import { notAuthenticated } from "../domain/errors";

/**
 * The OpenID Connect relying party: authorization code with PKCE for browsers (openid-client does
 * discovery, the token exchange and ID-token validation) and bearer access-token validation
 * against the provider's JWKS for API clients (jose). The provider's metadata is discovered once.
 */
export interface OidcClient {
  readonly issuer: string;
  /** Builds the provider's authorization URL; the caller keeps state, nonce and verifier server-side. */
  authorizationUrl(
    redirectUri: string,
  ): Promise<{ url: URL; state: string; nonce: string; codeVerifier: string }>;
  /** Completes the code flow from the callback URL; returns the ID token's verified claims. */
  finish(
    callbackUrl: URL,
    expected: { state: string; nonce: string; codeVerifier: string },
  ): Promise<{ sub: string; email?: unknown }>;
  /** Verifies a bearer JWT (signature by the provider's JWKS, issuer, audience, expiry). */
  verifyBearer(token: string): Promise<JWTPayload & { sub?: string; email?: unknown }>;
}

/** Plain http is accepted only for a provider on the loopback interface (tests, local development). */
function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

export async function createOidcClient(config: OidcConfig): Promise<OidcClient> {
  const issuerUrl = new URL(config.issuer);
  const insecure = issuerUrl.protocol === "http:";
  if (insecure && !isLoopback(issuerUrl)) {
    throw new Error(`KITH_OIDC_ISSUER must use https (plain http only on loopback): ${config.issuer}`);
  }
  const configuration = await oidc.discovery(
    issuerUrl,
    config.clientId,
    config.clientSecret ?? undefined,
    config.clientSecret ? oidc.ClientSecretBasic(config.clientSecret) : oidc.None(),
    insecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
  );
  const metadata = configuration.serverMetadata();
  if (!metadata.jwks_uri) throw new Error(`the OpenID provider ${config.issuer} publishes no jwks_uri`);
  const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
  return {
    issuer: metadata.issuer,
    async authorizationUrl(redirectUri) {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: "openid email profile",
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },
    async finish(callbackUrl, expected) {
      try {
        const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error("no ID token");
        return { sub: claims.sub, email: claims.email };
      } catch (error) {
        throw notAuthenticated(`OpenID Connect sign-in failed: ${(error as Error).message}`);
      }
    },
    async verifyBearer(token) {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: metadata.issuer,
          audience: config.audience,
        });
        return payload;
      } catch (error) {
        throw notAuthenticated(`bearer token rejected: ${(error as Error).message}`);
      }
    },
  };
}
