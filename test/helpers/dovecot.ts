import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * A real Dovecot IMAP server (Debian's `dovecot-imapd`) for tests and the live bench: loopback
 * only, a random free port, its own configuration, run, state and log directories under one
 * temporary folder, users in a passwd-file and maildirs built from real Enron messages. Nothing of
 * the machine's own Dovecot (/etc/dovecot, /run/dovecot, its service) is read or touched.
 *
 * Run as root, Dovecot drops to its `dovecot`/`dovenull` users as packaged and the mail belongs to
 * `nobody`; run as anyone else, it runs rootless as that user.
 */

export const dovecotBinary = "/usr/sbin/dovecot";
const enronMbox = "/work/shared/data/enron/mbox";

export interface DovecotUser {
  /** IMAP login. */
  login: string;
  password: string;
  /** Folder → raw RFC 5322 messages; "INBOX" and e.g. "Sent" (created as a \Sent folder). */
  folders: Record<string, readonly MaildirMessage[]>;
}

export interface MaildirMessage {
  raw: string;
  /** Maildir flags (e.g. "S" for \Seen); none by default. */
  flags?: string;
}

export interface Dovecot {
  host: string;
  port: number;
  dir: string;
  /** Delivers one message straight into a user's maildir folder (as an MDA would): visible to IMAP at once. */
  deliver(login: string, folder: string, raw: string): void;
  /** Gives a folder a new UIDVALIDITY (as a server rebuilding its index would): every cursor on it is void. */
  resetUidValidity(login: string, folder: string): void;
  /** The server's log so far (logins, disconnects). */
  log(): string;
  /** Successful IMAP logins of `login` so far, from the server's log. */
  logins(login: string): number;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  users: DovecotUser[];
  /** Offer XOAUTH2/OAUTHBEARER, checked against this token-info URL (the token is appended). */
  oauthTokenInfoUrl?: string;
}

/** Installs Dovecot with apt on a fresh machine when possible (as scripts/ensure-chromium.mjs does Chromium). */
export function ensureDovecot(): void {
  if (existsSync(dovecotBinary)) return;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("sh", ["-c", "apt-get update -qq && apt-get install -y -qq dovecot-imapd"], {
      stdio: "inherit",
      env,
    });
    // The package starts the machine's own service; the tests never use it.
    execFileSync("sh", ["-c", "service dovecot stop || true"], { stdio: "ignore" });
    return;
  }
  throw new Error(`${dovecotBinary} is missing; install it with: sudo apt-get install -y dovecot-imapd`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as AddressInfo).port;
  await new Promise((done) => server.close(done));
  return port;
}

export async function startDovecot(options: DovecotOptions): Promise<Dovecot> {
  ensureDovecot();
  const dir = mkdtempSync(join(tmpdir(), "kith-dovecot-"));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const mailUid = root ? 65534 : me.uid;
  const mailGid = root ? 65534 : me.gid;
  // Dovecot's own users read the passwd file and the configuration through this folder.
  chmodSync(dir, 0o755);
  for (const sub of ["run", "state", "mail"]) mkdirSync(join(dir, sub), { recursive: true });
  const passwd = options.users
    .map((u) => `${u.login}:{PLAIN}${u.password}:${mailUid}:${mailGid}::${join(dir, "mail", u.login)}::`)
    .join("\n");
  writeFileSync(join(dir, "passwd"), `${passwd}\n`);
  const oauth = options.oauthTokenInfoUrl
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${join(dir, "oauth2.conf")}
}
`
    : "";
  if (options.oauthTokenInfoUrl)
    writeFileSync(
      join(dir, "oauth2.conf"),
      `tokeninfo_url = ${options.oauthTokenInfoUrl}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
    );
  const config = `# Kith test Dovecot: everything under ${dir}
base_dir = ${join(dir, "run")}
state_dir = ${join(dir, "state")}
instance_name = kith-${randomBytes(4).toString("hex")}
log_path = ${join(dir, "dovecot.log")}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
# A refused login answers at once (the default waits 2 s); tests refuse logins on purpose.
auth_failure_delay = 0
auth_mechanisms = plain login${options.oauthTokenInfoUrl ? " xoauth2 oauthbearer" : ""}
mail_location = maildir:~/Maildir
first_valid_uid = ${Math.min(mailUid, 1)}
${root ? "" : `default_internal_user = ${me.username}\ndefault_login_user = ${me.username}\ndefault_internal_group = ${me.username}`}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(dir, "passwd")}
}
${oauth}userdb {
  driver = passwd-file
  args = username_format=%u ${join(dir, "passwd")}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  ${root ? "" : "chroot =\n  user = $default_internal_user"}
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`;
  writeFileSync(join(dir, "dovecot.conf"), config);
  const maildirOf = (login: string, folder: string) =>
    folder === "INBOX"
      ? join(dir, "mail", login, "Maildir")
      : join(dir, "mail", login, "Maildir", `.${folder.replaceAll("/", ".")}`);
  let sequence = 0;
  const writeMessage = (login: string, folder: string, message: MaildirMessage, fresh: boolean) => {
    const base = maildirOf(login, folder);
    for (const sub of ["cur", "new", "tmp"]) mkdirSync(join(base, sub), { recursive: true });
    const name = `${Date.now()}.M${++sequence}P${process.pid}.kith`;
    const target = fresh ? join(base, "new", name) : join(base, "cur", `${name}:2,${message.flags ?? ""}`);
    // Written under tmp/ and renamed, as the maildir format requires, so a reader never sees half a file.
    const temporary = join(base, "tmp", name);
    writeFileSync(temporary, message.raw);
    if (root) chownSync(temporary, mailUid, mailGid);
    execFileSync("mv", [temporary, target]);
  };
  for (const user of options.users) {
    mkdirSync(maildirOf(user.login, "INBOX"), { recursive: true });
    for (const [folder, messages] of Object.entries(user.folders)) {
      for (const sub of ["cur", "new", "tmp"])
        mkdirSync(join(maildirOf(user.login, folder), sub), { recursive: true });
      for (const message of messages) writeMessage(user.login, folder, message, false);
    }
  }
  if (root) execFileSync("chown", ["-R", `${mailUid}:${mailGid}`, join(dir, "mail")]);

  const child: ChildProcess = spawn(dovecotBinary, ["-F", "-c", join(dir, "dovecot.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  await waitForPort(port, child, () => stderr, dir);

  const logPath = join(dir, "dovecot.log");
  const readLog = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");
  return {
    host: "127.0.0.1",
    port,
    dir,
    deliver: (login, folder, raw) => writeMessage(login, folder, { raw }, true),
    resetUidValidity: (login, folder) => {
      const next = Math.floor(Date.now() / 1000) + ++sequence;
      execFileSync("doveadm", [
        "-c",
        join(dir, "dovecot.conf"),
        "mailbox",
        "update",
        "-u",
        login,
        "--uid-validity",
        String(next),
        folder,
      ]);
    },
    log: readLog,
    logins: (login) =>
      readLog()
        .split("\n")
        .filter((line) => line.includes("imap-login: Info: Login: user=<" + login + ">")).length,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(
  port: number,
  child: ChildProcess,
  stderr: () => string,
  dir: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = existsSync(join(dir, "dovecot.log")) ? readFileSync(join(dir, "dovecot.log"), "utf8") : "";
      throw new Error(`dovecot exited (${child.exitCode}): ${stderr()}${log}`);
    }
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("data", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}: ${stderr()}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/**
 * A TCP relay in front of the server that counts what clients send: tests assert "no request
 * reached the mail server after this point" on it (`mark()`, then `sentSinceMark()`).
 */
export interface CountingProxy {
  port: number;
  /** Client → server bytes and IMAP command lines since the last mark. */
  sentSinceMark(): { bytes: number; lines: string[] };
  mark(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let bytes = 0;
  let lines: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    client.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      lines.push(...chunk.toString("latin1").split("\r\n").filter(Boolean));
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end);
    upstream.on("close", end);
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    port: (server.address() as AddressInfo).port,
    sentSinceMark: () => ({ bytes, lines: [...lines] }),
    mark: () => {
      bytes = 0;
      lines = [];
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

/**
 * Real messages of one Enron mbox file (`enron.<mailbox>.<folder>`), in file order: the mbox
 * separator line dropped and `>From ` unescaped, as a mail server would hold them.
 */
export function enronMessages(file: string, limit = Infinity): string[] {
  const text = readFileSync(join(enronMbox, file), "latin1");
  const messages: string[] = [];
  for (const part of text.split(/^From MAILER-DAEMON .*\n/m)) {
    if (!part.trim()) continue;
    messages.push(part.replace(/^>From /gm, "From ").replace(/\n+$/, "\n"));
    if (messages.length >= limit) break;
  }
  return messages;
}

/** The Message-ID of a raw message, without angle brackets. */
export function messageIdOf(raw: string): string {
  const match = /^Message-ID:\s*<([^>]+)>/im.exec(raw);
  if (!match?.[1]) throw new Error("message has no Message-ID");
  return match[1];
}
