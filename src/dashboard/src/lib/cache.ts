// Pure functions that fold live changes (stream events, mutation results) into cached list
// responses. They keep what is newer: a replayed old event never overwrites a fresher row.
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Message } from "@sdk/wagate/message/v1/message_pb";
import type { ListMessagesResponse, SessionStateChange } from "@sdk/wagate/message/v1/message_pb";
import type { ListSessionsResponse, Session } from "@sdk/wagate/session/v1/session_pb";

const ms = (t: Timestamp | undefined) => (t ? timestampMs(t) : 0);

/** The session with a state change applied, or the same object when the change is older. */
export function applyStateChange(session: Session, change: SessionStateChange, time: Timestamp | undefined): Session {
  if (ms(time) < ms(session.updateTime)) return session;
  if (session.state === change.state && session.phoneNumber === change.phoneNumber) return session;
  return { ...session, state: change.state, phoneNumber: change.phoneNumber, lastError: change.lastError, updateTime: time ?? session.updateTime };
}

/** A newer copy of a session replaces the listed one. */
export function replaceSession(list: ListSessionsResponse, session: Session): ListSessionsResponse {
  let changed = false;
  const sessions = list.sessions.map((s) => {
    if (s.name !== session.name || ms(session.updateTime) < ms(s.updateTime)) return s;
    changed = true;
    return session;
  });
  return changed ? { ...list, sessions } : list;
}

export function updateSessionInList(
  list: ListSessionsResponse,
  name: string,
  update: (s: Session) => Session,
): ListSessionsResponse {
  let changed = false;
  const sessions = list.sessions.map((s) => {
    if (s.name !== name) return s;
    const next = update(s);
    if (next !== s) changed = true;
    return next;
  });
  return changed ? { ...list, sessions } : list;
}

export type MessagePage = { parent: string; pageToken: string; filter: string };

/** Folds a message into one cached page of ListMessages (newest first). A message already on
 * the page is replaced when the new copy is as new or newer; an unseen one joins the first page
 * only when it is newer than everything there and passes the page's filter, so an old event
 * replayed by the stream never lands on top. */
export function applyMessage(page: ListMessagesResponse, where: MessagePage, message: Message): ListMessagesResponse {
  if (!message.name.startsWith(`${where.parent}/messages/`)) return page;
  const index = page.messages.findIndex((m) => m.name === message.name);
  if (index >= 0) {
    const current = page.messages[index];
    if (ms(message.updateTime) < ms(current.updateTime) || (ms(message.updateTime) === ms(current.updateTime) && message.state === current.state)) {
      return page;
    }
    const messages = page.messages.slice();
    messages[index] = message;
    return { ...page, messages };
  }
  if (where.pageToken !== "" || !matchesFilter(message, where.filter)) return page;
  const newest = page.messages[0];
  if (newest && ms(message.createTime) < ms(newest.createTime)) return page;
  return { ...page, messages: [message, ...page.messages] };
}

/** The dashboard's own filters are `direction = DIRECTION_X` or nothing. */
function matchesFilter(message: Message, filter: string): boolean {
  const m = /direction\s*=\s*DIRECTION_(\w+)/.exec(filter);
  if (!m) return true;
  return (message.direction === 1 && m[1] === "OUTBOUND") || (message.direction === 2 && m[1] === "INBOUND");
}
