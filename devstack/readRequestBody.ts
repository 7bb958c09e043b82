import type { IncomingMessage } from "node:http";

/** Largest request body the stand-ins accept (bytes). */
const MAX_REQUEST_BODY = 1024 * 1024;

/** Reads a request body whole; resolves undefined when it is larger than `maxBytes` (the rest is drained, not kept). */
export async function readRequestBody(req: IncomingMessage, maxBytes = MAX_REQUEST_BODY): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  return size > maxBytes ? undefined : Buffer.concat(chunks);
}
