/**
 * Section `tokens` (issue 3, part 5): what a cached token costs a request, and that the token
 * endpoint sees one call per token however many requests want one at the same moment. Everything
 * but the lookup timing runs the compiled product against a local token endpoint that counts
 * its calls and an origin that answers small JSON at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { freeLoopbackPort } from '../../test/helpers/free-port.ts';
import { pollUntil } from '../../test/helpers/poll.ts';
import { startProduct, type RunningProduct } from '../../test/helpers/product.ts';
import { Teardown } from '../../test/helpers/teardown.ts';
import { trackTeardown } from '../lib/children.ts';
import {
  startTokenEndpoint,
  type RunningTokenEndpoint,
  type TokenAnswer,
} from '../lib/token-endpoint.ts';
import {
  burst,
  latencySummary,
  statusCounts,
  steadyStream,
  type TimedAnswer,
} from '../lib/token-load.ts';
import { timeEmptyAwaits, timeLookups, warmTokenSource } from '../lib/token-lookup.ts';
import { startTokenOrigin, type RunningTokenOrigin } from '../lib/token-origin.ts';
import {
  benchRoute,
  compiledEntryPoint,
  singleServerConfig,
  tokenStatus,
  waitForTokenFailure,
} from '../lib/token-product.ts';
import type { BenchSection, FigureSpec, Sample, SectionResult } from '../types.ts';

const LOOKUP_CALLS = 1_000_000;
const LOOKUP_ROUNDS = 5;

const BURST_REQUESTS = 1000;
/** Long enough that a burst ends well inside the first half of the token's life. */
const BURST_TOKEN = { kind: 'token', delayMs: 100, lifetimeSeconds: 6 } satisfies TokenAnswer;
/** Refused for good, so the product's start-up fetch leaves the cache empty. */
const REFUSE_CLIENT: TokenAnswer = {
  kind: 'refuse',
  status: 400,
  oauthError: 'invalid_client',
  delayMs: 0,
};
/** The product waits at most its base backoff (0.5 s) after a failure before it fetches again. */
const AFTER_FIRST_FAILURE_MS = 1000;

const REFRESH_TOKEN = { kind: 'token', delayMs: 300, lifetimeSeconds: 4 } satisfies TokenAnswer;
/** Refreshes the stream spans; it ends half a refresh period after the last one falls due. */
const REFRESH_PERIODS = 6;
const STREAM_INTERVAL_MS = 10;

const NO_TOKEN_REQUESTS = 200;
const NO_TOKEN_WAIT_SECONDS = 1;
const UNAVAILABLE: TokenAnswer = {
  kind: 'refuse',
  status: 503,
  oauthError: 'temporarily_unavailable',
  delayMs: 0,
};

const PATH = benchRoute('studies');
const UNKNOWN_SERVER_PATH = '/oauth-dicom-web/servers/not-configured/studies';

const FIGURES: FigureSpec[] = [
  { key: 'nsPerCall', title: 'ns/call', higherIsBetter: false, digits: 0 },
  { key: 'tokenCalls', title: 'token calls', higherIsBetter: false, digits: 0 },
  { key: 'waited', title: 'waited on refresh', higherIsBetter: false, digits: 0 },
  { key: 'p50Ms', title: 'p50 ms', higherIsBetter: false, digits: 1 },
  { key: 'p99Ms', title: 'p99 ms', higherIsBetter: false, digits: 1 },
  { key: 'maxMs', title: 'max ms', higherIsBetter: false, digits: 1 },
];

const NOTES = [
  'await-floor: an empty `await Promise.resolve()`; cached-lookup: an awaited getToken() on ' +
    'a warm TokenSource, in process. The difference is what the cache costs a request.',
  `cold, expired: ${BURST_REQUESTS} simultaneous requests through the compiled product while ` +
    `it has no usable token; the token endpoint answers after ${BURST_TOKEN.delayMs} ms. ` +
    'cold: the cache never held a token (the start-up fetch was refused); expired: the last ' +
    'token has outlived its use. Each must cost exactly one token call. warm: the same burst ' +
    'right after cold, token cached (no call): the cost of the load itself.',
  `refresh: a request every ${STREAM_INTERVAL_MS} ms across ${REFRESH_PERIODS} refreshes of ` +
    `${REFRESH_TOKEN.lifetimeSeconds} s tokens; the endpoint answers after ` +
    `${REFRESH_TOKEN.delayMs} ms, so a request slower than that waited on a refresh.`,
  `no-token-503 / no-token-refused: ${NO_TOKEN_REQUESTS} requests, one every ` +
    `${STREAM_INTERVAL_MS} ms, after the first failed fetch, with TokenWaitSeconds ` +
    `${NO_TOKEN_WAIT_SECONDS}; every answer must be 503 with Retry-After.`,
];

interface Phase {
  samples: Sample[];
  facts: Record<string, unknown>;
}

export const tokensSection: BenchSection = {
  id: 'tokens',
  async run(): Promise<SectionResult> {
    const entryPoint = compiledEntryPoint();
    const phases = [
      await measureLookups(),
      await measureBursts(entryPoint),
      await measureRefreshes(entryPoint),
      await measureNoToken(entryPoint, 'no-token-503'),
      await measureNoToken(entryPoint, 'no-token-refused'),
    ];

    return {
      id: 'tokens',
      title: 'Tokens: cache cost, one fetch per token, answers without a token',
      figures: FIGURES,
      samples: phases.flatMap((phase) => phase.samples),
      facts: Object.assign({}, ...phases.map((phase) => phase.facts)) as Record<string, unknown>,
      notes: NOTES,
    };
  },
};

async function measureLookups(): Promise<Phase> {
  const source = await warmTokenSource();
  // A first pass of each loop lets the JIT settle before anything is timed.
  await timeEmptyAwaits(LOOKUP_CALLS / 10);
  await timeLookups(source, LOOKUP_CALLS / 10);

  const samples: Sample[] = [];
  for (let round = 1; round <= LOOKUP_ROUNDS; round++) {
    const floor = await timeEmptyAwaits(LOOKUP_CALLS);
    const lookup = await timeLookups(source, LOOKUP_CALLS);
    samples.push({ variant: 'await-floor', round, values: { nsPerCall: floor } });
    samples.push({ variant: 'cached-lookup', round, values: { nsPerCall: lookup } });
  }

  return { samples, facts: { lookup: { callsPerRound: LOOKUP_CALLS, rounds: LOOKUP_ROUNDS } } };
}

/** The components of one phase, each on loopback. */
interface Rig {
  endpoint: RunningTokenEndpoint;
  origin: RunningTokenOrigin;
  product: RunningProduct;
}

interface RigSetup {
  answer: TokenAnswer;
  /** Point the product at a loopback port nobody listens on instead of the endpoint. */
  unreachable?: boolean;
  tokenWaitSeconds?: number;
}

async function withRig<T>(
  entryPoint: string,
  setup: RigSetup,
  measure: (rig: Rig) => Promise<T>,
): Promise<T> {
  const teardown = new Teardown();
  const forget = trackTeardown(teardown);
  try {
    const endpoint = await startTokenEndpoint(setup.answer);
    teardown.add('token endpoint', () => endpoint.close());
    const origin = await startTokenOrigin();
    teardown.add('origin', () => origin.close());
    const config = singleServerConfig({
      url: `${origin.origin}/dicom-web/`,
      tokenEndpoint: setup.unreachable === true ? await deadEndUrl() : endpoint.url,
      tokenWaitSeconds: setup.tokenWaitSeconds,
    });
    const product = await startProduct({ config, entryPoint });
    teardown.add('product', () => product.stop());

    return await measure({ endpoint, origin, product });
  } finally {
    forget();
    await teardown.run();
  }
}

/** A token endpoint on a loopback port nobody listens on: every connection is refused. */
async function deadEndUrl(): Promise<string> {
  return `http://127.0.0.1:${await freeLoopbackPort()}/token`;
}

async function measureBursts(entryPoint: string): Promise<Phase> {
  return withRig(entryPoint, { answer: REFUSE_CLIENT }, async ({ endpoint, origin, product }) => {
    await waitForTokenFailure(product.origin);
    endpoint.answer = BURST_TOKEN;
    // A first burst to a server the product does not know (404, no token involved) warms its
    // HTTP path, so cold and warm below differ by the token wait rather than by the JIT.
    await burst(product.origin, UNKNOWN_SERVER_PATH, BURST_REQUESTS);
    await sleep(AFTER_FIRST_FAILURE_MS);
    const cold = await countedBurst(endpoint, product.origin);
    const coldTokens = origin.tokens.size;
    // The same load with the token cached: what the burst costs without any wait for a token.
    const warm = await countedBurst(endpoint, product.origin);
    const warmTokens = origin.tokens.size - coldTokens;

    // Past the token's last usable moment (90% of its life), with no request in between.
    const obtainedAt = endpoint.calls.at(-1) ?? performance.now();
    await sleep(obtainedAt + BURST_TOKEN.lifetimeSeconds * 1000 + 200 - performance.now());
    const expired = await countedBurst(endpoint, product.origin);
    const expiredTokens = origin.tokens.size - coldTokens - warmTokens;

    return {
      samples: [cold.sample('cold'), warm.sample('warm'), expired.sample('expired')],
      facts: {
        cold: cold.facts(coldTokens, 1),
        warm: warm.facts(warmTokens, 0),
        expired: expired.facts(expiredTokens, 1),
      },
    };
  });
}

async function countedBurst(endpoint: RunningTokenEndpoint, origin: string) {
  const before = endpoint.calls.length;
  const answers = await burst(origin, PATH, BURST_REQUESTS);
  const tokenCalls = endpoint.calls.length - before;

  return {
    sample: (variant: string): Sample => ({
      variant,
      round: 1,
      values: { tokenCalls, ...latencyValues(answers) },
    }),
    /** `newTokens`: tokens the origin first saw in this burst; `expected`: token calls. */
    facts: (newTokens: number, expected: number) => ({
      requests: answers.length,
      statuses: statusCounts(answers),
      tokenCalls,
      newTokensAtOrigin: newTokens,
      ok: tokenCalls === expected && newTokens === expected && allHaveStatus(answers, 200),
    }),
  };
}

async function measureRefreshes(entryPoint: string): Promise<Phase> {
  return withRig(entryPoint, { answer: REFRESH_TOKEN }, async ({ endpoint, origin, product }) => {
    await pollUntil(async () => ((await tokenStatus(product.origin)).cached ? true : undefined), {
      what: 'the product to hold its first token',
      timeoutMs: 10_000,
      intervalMs: 20,
    });

    // Refreshes fall due every half lifetime, counted from the start-up fetch.
    const periodMs = (REFRESH_TOKEN.lifetimeSeconds * 1000) / 2;
    const firstCall = endpoint.calls[0] ?? performance.now();
    const endsAt = firstCall + (REFRESH_PERIODS + 0.5) * periodMs;
    const answers = await steadyStream(product.origin, PATH, {
      intervalMs: STREAM_INTERVAL_MS,
      endsAt,
    });

    const tokenCalls = endpoint.calls.length - 1;
    const waited = answers.filter((a) => a.latencyMs > REFRESH_TOKEN.delayMs).length;
    const gaps = endpoint.calls.slice(1).map((at, i) => at - (endpoint.calls[i] ?? at));

    return {
      samples: [
        { variant: 'refresh', round: 1, values: { tokenCalls, waited, ...latencyValues(answers) } },
      ],
      facts: {
        refresh: {
          requests: answers.length,
          statuses: statusCounts(answers),
          tokenCalls,
          refreshesDue: REFRESH_PERIODS,
          waited,
          tokensAtOrigin: origin.tokens.size,
          callGapMs: gaps.length === 0 ? [] : [Math.min(...gaps), Math.max(...gaps)].map(round1),
          ok: tokenCalls === REFRESH_PERIODS && waited === 0 && allHaveStatus(answers, 200),
        },
      },
    };
  });
}

type NoTokenVariant = 'no-token-503' | 'no-token-refused';

async function measureNoToken(entryPoint: string, variant: NoTokenVariant): Promise<Phase> {
  const setup: RigSetup = {
    answer: UNAVAILABLE,
    unreachable: variant === 'no-token-refused',
    tokenWaitSeconds: NO_TOKEN_WAIT_SECONDS,
  };

  return withRig(entryPoint, setup, async ({ endpoint, origin, product }) => {
    await waitForTokenFailure(product.origin);
    const answers = await steadyStream(product.origin, PATH, {
      intervalMs: STREAM_INTERVAL_MS,
      count: NO_TOKEN_REQUESTS,
    });

    const withRetryAfter = answers.filter((a) => a.status === 503 && a.retryAfter !== undefined);
    const retryAfter = withRetryAfter.map((a) => Number(a.retryAfter));
    const budgetMs = NO_TOKEN_WAIT_SECONDS * 1000;

    return {
      samples: [{ variant, round: 1, values: latencyValues(answers) }],
      facts: {
        [variant]: {
          requests: answers.length,
          statuses: statusCounts(answers),
          withRetryAfter: withRetryAfter.length,
          retryAfterSeconds: [Math.min(...retryAfter), Math.max(...retryAfter)],
          waitBudgetMs: budgetMs,
          waitedOverHalfTheBudget: answers.filter((a) => a.latencyMs > budgetMs / 2).length,
          tokenCalls: endpoint.calls.length,
          originRequests: origin.tokens.size,
          ok: withRetryAfter.length === answers.length,
        },
      },
    };
  });
}

function latencyValues(answers: readonly TimedAnswer[]): Record<string, number> {
  const { p50, p99, max } = latencySummary(answers);

  return { p50Ms: p50, p99Ms: p99, maxMs: max };
}

function allHaveStatus(answers: readonly TimedAnswer[], status: number): boolean {
  return answers.every((a) => a.status === status);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
