import { describe, expect, it } from "vitest";
import { builtInRoles, checkCustomRoleName, closestName, editDistance } from "./directory";

describe("closestName", () => {
  it.each([
    ["Salesperon", "Salesperson"],
    ["salesperson", "Salesperson"],
    ["Sales Manger", "Sales Manager"],
    ["Global Admin", "Global Administrator"],
    ["Global Adminstrator", "Global Administrator"],
    ["Systme Administrator", "System Administrator"],
  ])("suggests a known role for %s", (value, expected) => {
    expect(closestName(value, builtInRoles)).toBe(expected);
  });

  it.each(["Janitor", "Marketing", "", "CEO"])("suggests nothing for %j", (value) => {
    expect(closestName(value, builtInRoles)).toBeNull();
  });

  it("counts edits", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "abc")).toBe(0);
  });
});

describe("checkCustomRoleName", () => {
  it("accepts a plain new name and refuses separators, blanks and case twins", () => {
    expect(checkCustomRoleName("Customer Service", builtInRoles)).toBeNull();
    expect(checkCustomRoleName("A;B", builtInRoles)).toMatch(/contains/);
    expect(checkCustomRoleName(" Padded", builtInRoles)).toMatch(/spaces/);
    expect(checkCustomRoleName("", builtInRoles)).toMatch(/1 to 100/);
    expect(checkCustomRoleName("salesperson", builtInRoles)).toBe(
      'role "salesperson" differs from the existing role "Salesperson" only by case',
    );
  });
});
