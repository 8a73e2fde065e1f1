import { create, createFileRegistry, type DescMessage } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_duration,
} from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";

// google.rpc.BadRequest is not generated into sdk/typescript/gen (only google/api is), so we
// describe the two messages we read here, with the field numbers of
// google/rpc/error_details.proto; findDetails matches the detail by its type name.
const errorDetails = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: "google/rpc/error_details.proto",
    package: "google.rpc",
    syntax: "proto3",
    messageType: [
      {
        name: "BadRequest",
        field: [
          {
            name: "field_violations",
            jsonName: "fieldViolations",
            number: 1,
            label: FieldDescriptorProto_Label.REPEATED,
            type: FieldDescriptorProto_Type.MESSAGE,
            typeName: ".google.rpc.BadRequest.FieldViolation",
          },
        ],
        nestedType: [
          {
            name: "FieldViolation",
            field: [
              { name: "field", jsonName: "field", number: 1, label: FieldDescriptorProto_Label.OPTIONAL, type: FieldDescriptorProto_Type.STRING },
              { name: "description", jsonName: "description", number: 2, label: FieldDescriptorProto_Label.OPTIONAL, type: FieldDescriptorProto_Type.STRING },
            ],
          },
        ],
      },
      {
        name: "RetryInfo",
        field: [
          {
            name: "retry_delay",
            jsonName: "retryDelay",
            number: 1,
            label: FieldDescriptorProto_Label.OPTIONAL,
            type: FieldDescriptorProto_Type.MESSAGE,
            typeName: ".google.protobuf.Duration",
          },
        ],
      },
    ],
    dependency: ["google/protobuf/duration.proto"],
  }),
  (name) => (name === "google/protobuf/duration.proto" ? file_google_protobuf_duration : undefined),
);

export const BadRequestSchema = errorDetails.getMessage("google.rpc.BadRequest") as DescMessage;
export const RetryInfoSchema = errorDetails.getMessage("google.rpc.RetryInfo") as DescMessage;

type FieldViolation = { field: string; description: string };

/** What a form shows for a failed call: a sentence for the form, and a sentence per field
 * (keyed by the request's field path, e.g. "apiKey.displayName"). */
export type FormError = { message: string; fields: Record<string, string>; retryAt?: number };

export function toFormError(error: unknown): FormError {
  const err = ConnectError.from(error);
  const fields: Record<string, string> = {};
  for (const detail of err.findDetails(BadRequestSchema)) {
    for (const v of (detail as unknown as { fieldViolations: FieldViolation[] }).fieldViolations) {
      fields[v.field] = fields[v.field] ? `${fields[v.field]}; ${v.description}` : v.description;
    }
  }
  const delay = retryDelaySeconds(err);
  return { message: describeError(err), fields, retryAt: delay === undefined ? undefined : Date.now() + delay * 1000 };
}

/** The seconds the server asked us to wait (RetryInfo), when it did. */
export function retryDelaySeconds(error: unknown): number | undefined {
  const err = ConnectError.from(error);
  for (const detail of err.findDetails(RetryInfoSchema)) {
    const delay = (detail as unknown as { retryDelay?: { seconds: bigint; nanos: number } }).retryDelay;
    if (delay) return Number(delay.seconds) + delay.nanos / 1e9;
  }
  return undefined;
}

/** A sentence for people: the server's message (never a stack trace: the gateway does not send
 * one), or a plain explanation when the network itself failed. */
export function describeError(error: unknown): string {
  const err = ConnectError.from(error);
  switch (err.code) {
    case Code.Unknown:
      // connect-web reports an unreachable server (fetch failed) as Unknown.
      if (!err.rawMessage || /fetch|network|load failed/i.test(err.rawMessage)) {
        return "Cannot reach Wagate. Check your connection and try again.";
      }
      return err.rawMessage;
    case Code.Unauthenticated:
      return err.rawMessage || "Please sign in again.";
    case Code.PermissionDenied:
      return err.rawMessage || "You are not allowed to do that.";
    case Code.Unavailable:
      return err.rawMessage || "Wagate is busy right now. Try again in a moment.";
    default:
      return err.rawMessage || "Something went wrong.";
  }
}

/** A violation for `field` or any of its elements ("apiKey.scopes[0]" belongs to "apiKey.scopes"). */
export function fieldError(error: FormError | null | undefined, field: string): string | undefined {
  if (!error) return undefined;
  const own = Object.entries(error.fields).filter(([k]) => k === field || k.startsWith(`${field}[`) || k.startsWith(`${field}.`));
  return own.length ? own.map(([, v]) => v).join("; ") : undefined;
}

/** The form-level sentence, unless every violation is already shown next to one of `shown`. */
export function formMessage(error: FormError | null | undefined, shown: string[]): string | undefined {
  if (!error) return undefined;
  const fields = Object.keys(error.fields);
  const covered = fields.length > 0 && fields.every((f) => shown.some((s) => f === s || f.startsWith(`${s}[`) || f.startsWith(`${s}.`)));
  return covered ? undefined : error.message;
}
