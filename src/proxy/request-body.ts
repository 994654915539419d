/**
 * The client's request body as undici reads it: a stream of its own over the client's.
 *
 * - undici destroys the body it was given when the upstream answers before reading all of
 *   it. Destroying the client's own stream would close the client's connection and lose that
 *   answer; destroying this one only lets go of the client's, which can then be drained.
 * - undici decides between Content-Length and chunked framing when it starts writing, from
 *   whether the body has already ended. This stream starts pulling from the client's only
 *   when undici first reads, so a small chunked body that arrived whole while a token was
 *   fetched still goes out chunked, as the client sent it.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

const HIGH_WATER_MARK = 64 * 1024;

export class RequestBody extends Readable {
  readonly #req: IncomingMessage;
  #attached = false;

  constructor(req: IncomingMessage) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.#req = req;
  }

  override _read(): void {
    if (this.#attached) {
      this.#req.resume();
      return;
    }

    this.#attached = true;
    this.#req.on('data', this.#onData);
    this.#req.once('end', this.#onEnd);
    this.#req.once('error', this.#onError);
    this.#req.once('close', this.#onClose);
    this.#req.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#detach();
    callback(error);
  }

  #onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.#req.pause();
  };

  #onEnd = (): void => {
    this.#detach();
    this.push(null);
  };

  #onError = (error: Error): void => {
    this.destroy(error);
  };

  /** A client that leaves mid-upload must end the upload, not leave it waiting. */
  #onClose = (): void => {
    if (!this.#req.complete) this.destroy(new Error('the client closed the connection mid-upload'));
  };

  #detach(): void {
    this.#req.off('data', this.#onData);
    this.#req.off('end', this.#onEnd);
    this.#req.off('error', this.#onError);
    this.#req.off('close', this.#onClose);
    this.#req.pause();
  }
}
