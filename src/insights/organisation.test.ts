import { describe, expect, it } from "vitest";
import { isPersonalDomain } from "../domain/identity";
import { organisationOfAddress, registrableDomain } from "./organisation";

const personal = isPersonalDomain;

describe("registrableDomain", () => {
  it.each([
    ["ca.pwcglobal.com", "pwcglobal.com"],
    ["pwcglobal.com", "pwcglobal.com"],
    ["mail.utexas.edu", "utexas.edu"],
    ["neg.pge.com", "pge.com"],
    ["bp.co.uk", "bp.co.uk"],
    ["mail.bp.co.uk", "bp.co.uk"],
    ["powerpool.ab.ca", "ab.ca"],
    ["petro-canada.ca", "petro-canada.ca"],
  ])("%s → %s", (domain, org) => expect(registrableDomain(domain)).toBe(org));
});

describe("organisationOfAddress", () => {
  it("folds subdomains and leaves personal and consumer providers without an organisation", () => {
    expect(organisationOfAddress("judy@ca.pwcglobal.com", personal)).toBe("pwcglobal.com");
    expect(organisationOfAddress("x@aol.com", personal)).toBeNull();
    expect(organisationOfAddress("x@houston.rr.com", personal)).toBeNull();
    expect(organisationOfAddress("x@swbell.net", personal)).toBeNull();
  });
});
