// One request of the edge to the cloud over its store link (bearer store credential, bounded wait): the body on
// a 2xx answer, an error naming the status and the start of the answer otherwise. The pulls (flags, granted
// disputes) use it; the outbox (cloud-sync.ts) reads every answer itself to sort retries from refusals.

export interface StoreLinkRequest {
  url: string;
  method: 'GET' | 'POST';
  credential: string;
  /** JSON body (POST). */
  body?: string;
  timeoutMs: number;
}

export async function requestCloud(request: StoreLinkRequest): Promise<string> {
  const { url, method, credential, body, timeoutMs } = request;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`cloud answered ${response.status} to ${method} ${url}: ${text.slice(0, 200)}`);
  return text;
}
