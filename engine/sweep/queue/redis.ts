/**
 * The Redis behind the job queue: `redis://[user:password@]HOST[:PORT][/DB]` (or `rediss://`
 * for TLS) turned into connection options, and a first contact that fails fast. BullMQ's own
 * clients retry forever by design (a worker should ride out a Redis restart), so an address
 * with nothing behind it is found out here, with a short timeout and no retry, before them.
 */
import { Queue, type ConnectionOptions } from 'bullmq';

export const QUEUE_NAME = 'roadtwin-runs';

/**
 * `text` with the password of every Redis URL in it replaced by `***`: messages quote the URL the
 * user gave, and a terminal log or a CI transcript is no place for the password.
 */
export function maskRedisUrl(text: string): string {
  // (greedy to the last '@' of the authority: a password may hold an unescaped '@')
  return text.replace(/(rediss?:\/\/[^\s:@/]*:)[^\s/]*@/gi, '$1***@');
}

/** Connection options for BullMQ, or what is wrong with the URL (the password masked). */
export function parseRedisUrl(text: string): ConnectionOptions | string {
  const r = parseUnmasked(text);
  return typeof r === 'string' ? maskRedisUrl(r) : r;
}

function parseUnmasked(text: string): ConnectionOptions | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `--queue: '${text}' is not a URL; expected redis://HOST:PORT`;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `--queue: expected a redis:// (or rediss://) URL, got '${url.protocol}//'`;
  if (!url.hostname) return `--queue: '${text}' names no host; expected redis://HOST:PORT`;
  const port = url.port === '' ? 6379 : Number(url.port);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) return `--queue: the database in '${text}' must be a whole number (redis://HOST:PORT/DB)`;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    connectTimeout: 5000,
  };
}

/** Resolves with null when Redis answers, else with why not (one line). Never hangs: one try, 5 s at most. */
export async function probeRedis(connection: ConnectionOptions, shown: string): Promise<string | null> {
  const probe = new Queue(QUEUE_NAME, {
    connection: { ...connection, maxRetriesPerRequest: 1, retryStrategy: () => null, enableOfflineQueue: false, lazyConnect: false } as ConnectionOptions,
  });
  let lastError = '';
  probe.on('error', (err) => {
    lastError = err.message;
  });
  try {
    await Promise.race([
      probe.waitUntilReady(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(lastError || 'no answer within 5 s')), 5000).unref()),
    ]);
    await probe.count(); // a real command: an answer, not just an open socket
    await probe.close();
    return null;
  } catch (err) {
    // no close(): the connection has ended already, and ioredis would hold the process for 2 s
    // waiting for a socket that never opened
    return maskRedisUrl(`cannot reach Redis at ${shown}: ${lastError || (err as Error).message} (is redis-server running there?)`);
  }
}
