/**
 * Reading a browser capture (HAR 1.2) for `explain`: the API Gateway 403 responses in it, each as
 * the observation `explain` matches against the table of causes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from './args';

/** What was observed of one response: any part may be unknown. */
export interface Observation {
  readonly status?: number;
  /** The `x-amzn-ErrorType` header (its value as sent, suffix included), or as given on the command line. */
  readonly errorType?: string;
  readonly message?: string;
  readonly host?: string;
  /** The path of the request, without the query. */
  readonly path?: string;
  /** Request headers that tell about the request, lower-case name → value (values of secrets are not kept). */
  readonly requestHeaders?: { readonly [name: string]: string };
  /** The request id API Gateway gave the response (`x-amzn-RequestId` or `apigw-requestid`), when known. */
  readonly requestId?: string;
}

/** One distinct 403 response of a capture: the observation and the requests that got it. */
export interface CapturedResponse {
  readonly observation: Observation;
  /** `METHOD url` of each request that got this response, in capture order, without repeats. */
  readonly requests: string[];
  /** How many entries of the capture got it. */
  readonly count: number;
}

/** What a capture holds, for `explain`. */
export interface Capture {
  readonly responses: CapturedResponse[];
  readonly entries: number;
  /** 403 responses that show no sign of API Gateway (another server, a CDN's own page). */
  readonly otherForbidden: number;
  /** Entries without a request URL or a response status, skipped. */
  readonly unreadable: number;
}

/** Response headers only API Gateway (or the AWS front door before it) sends. */
const API_GATEWAY_HEADERS = ['x-amzn-errortype', 'x-amzn-requestid', 'x-amz-apigw-id', 'apigw-requestid'];

/** Request headers worth showing: whether the request was signed, carried a key, named a private API. */
const KEPT_REQUEST_HEADERS = [
  'host',
  'x-apigw-api-id',
  'x-api-key',
  'authorization',
  'x-amz-security-token',
  'x-amz-date',
];

/** Headers whose value is a secret: only their presence (and the auth scheme) is kept. */
const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'x-amz-security-token']);

type Json = { [key: string]: unknown };

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** HAR headers (`[{name, value}]`) as a lower-case map; the first value of a repeated header wins. */
function headerMap(headers: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(headers)) return out;
  for (const h of headers) {
    if (!isObject(h) || typeof h.name !== 'string' || typeof h.value !== 'string') continue;
    const name = h.name.toLowerCase();
    if (!out.has(name)) out.set(name, h.value);
  }
  return out;
}

/** What a secret header says without its secret: the auth scheme of Authorization, else "present". */
function redacted(name: string, value: string): string {
  if (name !== 'authorization') return '(present)';
  const scheme = value.trim().split(/\s+/)[0];
  return scheme ? `${scheme} …` : '(present)';
}

/**
 * The message of a response body: the `message` / `Message` field of a JSON body, else the text itself
 * (trimmed, first line, at most 300 characters); undefined for an empty body.
 */
export function messageOfBody(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    const body: unknown = JSON.parse(trimmed);
    if (isObject(body)) {
      for (const key of ['message', 'Message', 'errorMessage']) {
        if (typeof body[key] === 'string') return body[key] as string;
      }
    }
    if (typeof body === 'string') return body;
  } catch {
    // not JSON: the text itself
  }
  const first = trimmed.split(/\r?\n/)[0];
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

function bodyText(content: unknown): string | undefined {
  if (!isObject(content) || typeof content.text !== 'string') return undefined;
  // Node's base64 decoder skips what is not base64: a bad body reads as garbage, never as an error.
  return content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf-8') : content.text;
}

/**
 * True when a response looks like API Gateway's: an execute-api host, or a header only API Gateway
 * sends on a host that is not another AWS service's (other services and Lambda function URLs on
 * `*.on.aws` send `x-amzn-RequestId` and `x-amzn-ErrorType` too).
 */
export function fromApiGateway(host: string, headers: ReadonlyMap<string, string>): boolean {
  if (/\.execute-api\.[a-z0-9-]+\.(vpce\.)?amazonaws\.com(\.cn)?$/.test(host)) return true;
  if (/\.amazonaws\.com(\.cn)?$|\.on\.aws$/.test(host)) return false;
  return API_GATEWAY_HEADERS.some((h) => headers.has(h));
}

/**
 * Reads the HAR file `file` (a path from `cwd`) and returns its API Gateway 403 responses, one per
 * distinct response (status, host, path, error type, message). An unreadable file, bad JSON or a file
 * without `log.entries` is an InputError naming the file.
 */
export function readHar(file: string, cwd: string): Capture {
  const abs = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf-8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`}`);
  }
  let har: unknown;
  try {
    har = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`${file}: not a HAR file: bad JSON (${(e as Error).message})`);
  }
  if (!isObject(har) || !isObject(har.log) || !Array.isArray(har.log.entries)) {
    throw new InputError(`${file}: not a HAR file: no log.entries array`);
  }
  return captureOf(har.log.entries);
}

/** The API Gateway 403 responses among HAR entries. */
export function captureOf(entries: ReadonlyArray<unknown>): Capture {
  const byKey = new Map<string, { observation: Observation; requests: string[]; count: number }>();
  let otherForbidden = 0;
  let unreadable = 0;
  for (const entry of entries) {
    const request = isObject(entry) && isObject(entry.request) ? entry.request : undefined;
    const response = isObject(entry) && isObject(entry.response) ? entry.response : undefined;
    let url: URL | undefined;
    try {
      url = request && typeof request.url === 'string' ? new URL(request.url) : undefined;
    } catch {
      url = undefined;
    }
    const status = response && typeof response.status === 'number' ? response.status : undefined;
    if (!url || status === undefined) {
      unreadable++;
      continue;
    }
    if (status !== 403) continue;
    const responseHeaders = headerMap(response?.headers);
    const host = url.hostname.toLowerCase();
    if (!fromApiGateway(host, responseHeaders)) {
      otherForbidden++;
      continue;
    }
    const sent = headerMap(request?.headers);
    const requestHeaders: { [name: string]: string } = {};
    for (const name of KEPT_REQUEST_HEADERS) {
      const v = sent.get(name);
      if (v !== undefined) requestHeaders[name] = SECRET_HEADERS.has(name) ? redacted(name, v) : v;
    }
    // SigV4 can also travel in the query (presigned URLs).
    if (url.searchParams.has('X-Amz-Signature') && requestHeaders.authorization === undefined) {
      requestHeaders.authorization = 'AWS4-HMAC-SHA256 … (query)';
    }
    const observation: Observation = {
      status,
      errorType: responseHeaders.get('x-amzn-errortype'),
      message: messageOfBody(bodyText(response?.content)),
      host,
      path: decodeURIComponentSafe(url.pathname),
      requestHeaders,
      requestId: responseHeaders.get('x-amzn-requestid') ?? responseHeaders.get('apigw-requestid'),
    };
    const key = JSON.stringify([
      status,
      host,
      observation.path,
      observation.errorType ?? '',
      observation.message ?? '',
    ]);
    const method = request && typeof request.method === 'string' ? request.method.toUpperCase() : 'GET';
    const line = `${method} ${url.origin}${url.pathname}${url.search}`;
    const kept = byKey.get(key);
    if (kept) {
      kept.count++;
      if (!kept.requests.includes(line)) kept.requests.push(line);
    } else {
      byKey.set(key, { observation, requests: [line], count: 1 });
    }
  }
  return { responses: [...byKey.values()], entries: entries.length, otherForbidden, unreadable };
}

function decodeURIComponentSafe(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}
