import * as assert from "assert";
import * as net from "net";
import { cacheCheck, encodeCommand } from "../../app/cache";

/** A local RESP server answering each command with the next scripted reply. */
async function server(replies: string[]): Promise<{ port: number; received: string[]; close: () => void }> {
  const received: string[] = [];
  const srv = net.createServer((socket) => {
    socket.on("data", (chunk) => {
      received.push(chunk.toString());
      socket.write(replies.join(""));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  return { port: (srv.address() as net.AddressInfo).port, received, close: () => srv.close() };
}

describe("app: the cache check", () => {
  it("encodes commands as RESP arrays of bulk strings", () => {
    assert.strictEqual(
      encodeCommand(["AUTH", "payments-app", "tök"]),
      "*3\r\n$4\r\nAUTH\r\n$12\r\npayments-app\r\n$4\r\ntök\r\n",
    );
  });

  it("sends AUTH <user> <fresh IAM token> then PING, and passes on OK and PONG", async () => {
    const s = await server(["+OK\r\n", "+PONG\r\n"]);
    try {
      const check = cacheCheck({
        user: "payments-app",
        token: () => Promise.resolve("payments-cache/?Action=connect&User=payments-app"),
        connect: () => net.connect(s.port, "127.0.0.1"),
      });
      await check.ping();
      assert.strictEqual(
        s.received.join(""),
        encodeCommand(["AUTH", "payments-app", "payments-cache/?Action=connect&User=payments-app"]) +
          encodeCommand(["PING"]),
      );
    } finally {
      s.close();
    }
  });

  it("fails with the server's error when AUTH is refused", async () => {
    const s = await server(["-WRONGPASS invalid username-password pair or user is disabled.\r\n"]);
    try {
      const check = cacheCheck({
        user: "payments-app",
        token: () => Promise.resolve("t"),
        connect: () => net.connect(s.port, "127.0.0.1"),
      });
      await assert.rejects(check.ping(), {
        message: "AUTH refused: WRONGPASS invalid username-password pair or user is disabled.",
      });
    } finally {
      s.close();
    }
  });

  it("fails within its timeout when the cache does not answer", async () => {
    const srv = net.createServer(() => undefined);
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    try {
      const port = (srv.address() as net.AddressInfo).port;
      const check = cacheCheck({
        user: "u",
        token: () => Promise.resolve("t"),
        connect: () => net.connect(port, "127.0.0.1"),
        timeoutMs: 50,
      });
      await assert.rejects(check.ping(), { message: "no reply from the cache within 50 ms" });
    } finally {
      srv.close();
    }
  });
});
