import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { Session_State } from "@sdk/wagate/session/v1/session_pb";
import { Message_State } from "@sdk/wagate/message/v1/message_pb";

export type Tone = "green" | "amber" | "red" | "gray" | "blue";

export const sessionStates: Record<Session_State, { label: string; tone: Tone }> = {
  [Session_State.UNSPECIFIED]: { label: "Unknown", tone: "gray" },
  [Session_State.STARTING]: { label: "Starting", tone: "blue" },
  [Session_State.SCAN_QR_CODE]: { label: "Scan QR code", tone: "amber" },
  [Session_State.CONNECTING]: { label: "Connecting", tone: "blue" },
  [Session_State.CONNECTED]: { label: "Connected", tone: "green" },
  [Session_State.DISCONNECTED]: { label: "Disconnected", tone: "red" },
  [Session_State.LOGGED_OUT]: { label: "Logged out", tone: "gray" },
  [Session_State.FAILED]: { label: "Failed", tone: "red" },
};

export const messageStates: Record<Message_State, { label: string; tone: Tone }> = {
  [Message_State.UNSPECIFIED]: { label: "Unknown", tone: "gray" },
  [Message_State.QUEUED]: { label: "Queued", tone: "gray" },
  [Message_State.SENT]: { label: "Sent", tone: "blue" },
  [Message_State.DELIVERED]: { label: "Delivered", tone: "green" },
  [Message_State.READ]: { label: "Read", tone: "green" },
  [Message_State.PLAYED]: { label: "Played", tone: "green" },
  [Message_State.FAILED]: { label: "Failed", tone: "red" },
  [Message_State.RECEIVED]: { label: "Received", tone: "blue" },
};

/** The last segment of a resource name: `tenants/t/sessions/support` -> `support`. */
export const resourceId = (name: string) => name.slice(name.lastIndexOf("/") + 1);

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

export function formatDateTime(t: Timestamp | undefined): string {
  return t ? dateTime.format(timestampDate(t)) : "—";
}

export function formatTime(t: Timestamp | undefined): string {
  return t ? time.format(timestampDate(t)) : "—";
}

/** "1:05" for 65 seconds; never negative. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
