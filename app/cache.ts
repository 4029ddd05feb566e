/**
 * The cache check: TLS to this Region's replication group, `AUTH <user> <IAM token>`, `PING`. A
 * minimal RESP exchange (two commands, simple replies) instead of a Redis client library: the
 * service reads nothing from the cache, it only proves the path the application would use works.
 */
import type { Duplex } from "stream";
import * as tls from "tls";

/** A command as RESP sends it: an array of bulk strings. */
export function encodeCommand(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/**
 * Sends the commands in order and resolves with their simple-string replies; rejects on the first
 * error reply (`-WRONGPASS ...`), on a reply of another kind, or when the connection ends early.
 */
export function exchange(
  socket: Duplex,
  commands: readonly (readonly string[])[],
  timeoutMs: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const replies: string[] = [];
    let buffered = "";
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.destroy();
      if (error) reject(error);
      else resolve(replies);
    };
    const timer = setTimeout(
      () => done(new Error(`no reply from the cache within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      let end: number;
      while ((end = buffered.indexOf("\r\n")) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const command = commands[replies.length][0];
        if (line.startsWith("-")) return done(new Error(`${command} refused: ${line.slice(1)}`));
        if (!line.startsWith("+"))
          return done(new Error(`${command}: unexpected reply ${JSON.stringify(line.slice(0, 40))}`));
        replies.push(line.slice(1));
        if (replies.length === commands.length) return done();
      }
    });
    socket.on("error", (error: Error) => done(error));
    socket.on("end", () =>
      done(
        new Error(`the cache closed the connection after ${replies.length} of ${commands.length} replies`),
      ),
    );
    socket.write(commands.map(encodeCommand).join(""));
  });
}

export interface CacheCheckArgs {
  readonly user: string;
  readonly token: () => Promise<string>;
  /** Opens the connection; TLS to the primary endpoint in production. */
  readonly connect: () => Duplex;
  readonly timeoutMs?: number;
}

/** AUTH with a fresh IAM token, then PING; resolves when the cache answers OK and PONG. */
export function cacheCheck(args: CacheCheckArgs): { ping(): Promise<void> } {
  return {
    ping: async () => {
      const token = await args.token();
      const replies = await exchange(
        args.connect(),
        [["AUTH", args.user, token], ["PING"]],
        args.timeoutMs ?? 2000,
      );
      if (replies[0] !== "OK" || replies[1] !== "PONG") {
        throw new Error(
          `the cache answered ${JSON.stringify(replies)} to AUTH and PING, expected ["OK","PONG"]`,
        );
      }
    },
  };
}

/** TLS to the endpoint (in-transit encryption is required on the cache), verified by the default CAs. */
export function tlsConnect(host: string, port: number): () => Duplex {
  return () => tls.connect({ host, port, servername: host });
}
