import { describe, expect, it } from "vitest";
import { isPersonalDomain } from "../domain/identity";
import { organisationOfAddress, organisationOfDomain, registrableDomain } from "./organisation";

const personal = isPersonalDomain;

describe("registrableDomain", () => {
  it.each([
    ["ca.pwcglobal.com", "pwcglobal.com"],
    ["pwcglobal.com", "pwcglobal.com"],
    ["mail.utexas.edu", "utexas.edu"],
    ["neg.pge.com", "pge.com"],
    ["bp.co.uk", "bp.co.uk"],
    ["mail.bp.co.uk", "bp.co.uk"],
    ["powerpool.ab.ca", "powerpool.ab.ca"], // ab.ca is a public suffix (Alberta), not a company
    ["petro-canada.ca", "petro-canada.ca"],
    ["mail.agl.com.au", "agl.com.au"],
    ["ENRON.NET.", "enron.net"],
    ["someone.blogspot.com", "someone.blogspot.com"], // a private suffix: its customers stay apart
    ["localhost", "localhost"],
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

describe("organisationOfDomain", () => {
  it("is the registrable domain, and never a consumer provider at any level", () => {
    expect(organisationOfDomain("mail.utexas.edu", personal)).toBe("utexas.edu");
    expect(organisationOfDomain("gmail.com", personal)).toBeNull();
    expect(organisationOfDomain("mail.yahoo.com", personal)).toBeNull();
    expect(organisationOfDomain("", personal)).toBeNull();
  });
});
