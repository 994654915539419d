/**
 * One request/response exchange with the upstream, written as an undici dispatch handler so
 * the response body goes straight from the upstream socket to the client's, chunk by chunk,
 * with backpressure in both directions and no stream plumbing in between.
 */
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { clientResponseHeaders } from './headers.ts';
import { noteBytesMoved } from './scavenger.ts';
import { ClientGoneError, UploadStalledError } from './upstream-errors.ts';

export interface ExchangeResult {
  /** The upstream's status, or 0 when none arrived. */
  status: number;
  /** The upstream's `WWW-Authenticate` on a 401 or 403: why it refused the token. */
  challenge?: string;
  /** `retry`: a 401 was swallowed so the caller can try once more with a fresh token. */
  outcome: 'complete' | 'retry' | 'failed';
  bytesIn: number;
  bytesOut: number;
  error?: Error;
}

export interface ExchangeOptions {
  /** Swallow a 401 instead of relaying it (only for requests that can be sent again). */
  retryOn401: boolean;
  /** For a request with a body: longest pause between its chunks before it is given up. */
  uploadIdleMs?: number;
}

type Controller = Dispatcher.DispatchController;

export class UpstreamExchange implements Dispatcher.DispatchHandler {
  readonly done: Promise<ExchangeResult>;
  readonly #res: ServerResponse;
  readonly #opts: ExchangeOptions;
  #controller: Controller | undefined;
  #resolve!: (result: ExchangeResult) => void;
  #status = 0;
  #challenge: string | undefined;
  #swallow = false;
  #bytesIn = 0;
  #bytesOut = 0;
  #settled = false;
  /** Ends an upload whose chunks stop coming; undici's own timers do not see that case. */
  #uploadWatch: NodeJS.Timeout | undefined;

  constructor(res: ServerResponse, opts: ExchangeOptions) {
    this.#res = res;
    this.#opts = opts;
    this.done = new Promise((resolve) => (this.#resolve = resolve));
    res.once('close', this.#onClientClose);
  }

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    if (this.#clientGone()) {
      controller.abort(new ClientGoneError());
      return;
    }

    const idleMs = this.#opts.uploadIdleMs;
    if (idleMs !== undefined && this.#uploadWatch === undefined) {
      this.#uploadWatch = setTimeout(() => controller.abort(new UploadStalledError()), idleMs);
      this.#uploadWatch.unref();
    }
  }

  onBodySent(chunk: Buffer): void {
    this.#bytesIn += chunk.length;
    this.#uploadWatch?.refresh();
    noteBytesMoved(chunk.length);
  }

  onRequestSent(): void {
    clearTimeout(this.#uploadWatch);
  }

  onResponseStart(
    controller: Controller,
    status: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // Interim answers (100 Continue) are the upstream's business; Node speaks to the client.
    if (status < 200) return;

    this.#status = status;
    const challenge = headers['www-authenticate'];
    this.#challenge = Array.isArray(challenge) ? challenge.join(', ') : challenge;
    if (status === 401 && this.#opts.retryOn401) {
      this.#swallow = true;
      return;
    }

    if (this.#clientGone()) {
      controller.abort(new ClientGoneError());
      return;
    }

    // The reason phrase is not passed on: it is optional, and a byte Node refuses in it
    // (Latin-1 text, control characters) would otherwise end the exchange.
    try {
      this.#res.writeHead(status, clientResponseHeaders(headers));
    } catch (error) {
      controller.abort(error as Error);
    }
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    if (this.#swallow) return;

    this.#bytesOut += chunk.length;
    noteBytesMoved(chunk.length);
    if (this.#res.write(chunk)) return;

    controller.pause();
    this.#res.once('drain', () => controller.resume());
  }

  onResponseEnd(): void {
    if (this.#swallow) {
      this.#finish('retry');
      return;
    }

    this.#res.end();
    this.#finish('complete');
  }

  onResponseError(_controller: Controller, error: Error): void {
    // Once the client has part of the answer, only a broken connection tells it the truth:
    // finishing cleanly would pass a truncated study off as complete.
    if (this.#res.headersSent) this.#res.destroy(error);

    this.#finish('failed', error);
  }

  #onClientClose = (): void => {
    if (this.#settled || this.#res.writableFinished) return;

    this.#controller?.abort(new ClientGoneError());
  };

  #clientGone(): boolean {
    return this.#res.destroyed || this.#res.closed;
  }

  #finish(outcome: ExchangeResult['outcome'], error?: Error): void {
    if (this.#settled) return;

    this.#settled = true;
    clearTimeout(this.#uploadWatch);
    this.#res.off('close', this.#onClientClose);
    this.#resolve({
      status: this.#status,
      challenge: this.#challenge,
      outcome,
      bytesIn: this.#bytesIn,
      bytesOut: this.#bytesOut,
      error,
    });
  }
}
