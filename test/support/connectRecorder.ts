/** Test fixture: a loopback "proxy" that records the first request line of each connection and then hangs up. */
import { createServer, type AddressInfo } from "node:net";

/** A running recorder: its http:// URL and the request lines seen so far (e.g. "CONNECT host:443 HTTP/1.1"). */
export interface ConnectRecorder {
  url: string;
  port: number;
  lines: string[];
  close(): Promise<void>;
}

/** Starts the recorder; used as HTTPS_PROXY it shows which host a client chose, with no traffic leaving loopback. */
export async function startConnectRecorder(): Promise<ConnectRecorder> {
  const lines: string[] = [];
  const server = createServer((socket) => {
    let head = "";
    socket.on("data", (c: Buffer) => {
      head += c.toString("latin1");
      const end = head.indexOf("\r\n");
      if (end >= 0) {
        lines.push(head.slice(0, end));
        socket.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
      }
    });
    socket.on("error", () => undefined); // the client may reset the connection; the line is already recorded
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    lines,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
