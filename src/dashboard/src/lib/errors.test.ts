import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, describeError, fieldError, formMessage, toFormError } from "./errors";

const badRequest = (violations: { field: string; description: string }[]) =>
  new ConnectError("Invalid request", Code.InvalidArgument, undefined, [
    { desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: violations } as never) },
  ]);

describe("errors", () => {
  it("puts each field violation under its field", () => {
    const error = toFormError(badRequest([{ field: "apiKey.scopes[0]", description: "'x' is not a scope" }, { field: "apiKey.displayName", description: "is required" }]));
    expect(fieldError(error, "apiKey.scopes")).toBe("'x' is not a scope");
    expect(fieldError(error, "apiKey.displayName")).toBe("is required");
    expect(formMessage(error, ["apiKey.scopes", "apiKey.displayName"])).toBeUndefined();
  });

  it("shows the message when no field of the form explains the error", () => {
    const error = toFormError(badRequest([{ field: "parent", description: "is not a tenant" }]));
    expect(formMessage(error, ["email"])).toBe("Invalid request");
  });

  it("says the server cannot be reached instead of a fetch error", () => {
    expect(describeError(new ConnectError("Failed to fetch", Code.Unknown))).toMatch(/Cannot reach Wagate/);
    expect(describeError(new ConnectError("Too many attempts", Code.ResourceExhausted))).toBe("Too many attempts");
  });
});
