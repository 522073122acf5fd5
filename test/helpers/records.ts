import type { EmailRecord } from "../../src/domain/interaction";

let seq = 0;

/**
 * A plain email record for tests: a message id numbered within the test file (unique, so dedupe
 * never merges two), no owner, folder or noise flags. `extra` sets anything else (a subject, cc…).
 */
export function emailRecord(
  at: string | number | Date,
  from: string,
  to: readonly string[],
  extra: Partial<EmailRecord> = {},
): EmailRecord {
  seq++;
  return {
    type: "email",
    position: { file: "generated", record: seq },
    messageId: `t${seq}@test`,
    conversationId: null,
    inReplyTo: null,
    sentAt: new Date(at),
    from: { address: from },
    to: to.map((address) => ({ address })),
    cc: [],
    subject: null,
    owner: null,
    folder: null,
    noise: {},
    ...extra,
  };
}
