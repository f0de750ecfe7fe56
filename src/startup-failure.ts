import { parseDatabaseUrl } from './persistence/database-url.js';

export interface StartupContext {
  port?: number;
  host?: string;
  databaseUrl?: string;
}

type Failure = { code?: string; syscall?: string; path?: string; message?: string; errors?: { code?: string }[] };

/** Where the database is, for a person to read: never the password a URL may carry. */
function databaseName(url: string | undefined): string {
  try {
    const target = parseDatabaseUrl(url);
    if (target.engine === 'sqlite') return `the SQLite file ${target.file}`;
    const parsed = new URL(target.url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}, database "${decodeURIComponent(parsed.pathname.slice(1)) || parsed.username}"`;
  } catch {
    return 'the database';
  }
}

function listenFailure(e: Failure, { port, host }: StartupContext): string | undefined {
  const where = `${host}:${port}`;
  if (e.code === 'EADDRINUSE') return `port ${port} is already in use on ${host}: stop what listens there, or set PORT to a free port.`;
  if (e.code === 'EACCES') return `this user may not listen on ${where} (ports below 1024 need privileges): set PORT to 1024 or above.`;
  if (e.code === 'EADDRNOTAVAIL') return `HOST=${host} is not an address of this machine: set HOST to one of its addresses, or 0.0.0.0 for all.`;
  return undefined;
}

function postgresFailure(e: Failure, database: string): string | undefined {
  switch (e.code) {
    case 'ECONNREFUSED':
      return `${database} refused the connection: start PostgreSQL, or correct the host and port in DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host of ${database} is not known: correct the host name in DATABASE_URL.`;
    case '3D000':
      return `${database} does not exist: create it (createdb), or correct the database name in DATABASE_URL.`;
    case '28000':
    case '28P01':
      return `${database} refused the user or password in DATABASE_URL: ${e.message}.`;
  }
  if (/timeout|terminated/i.test(e.message ?? '')) return `${database} did not answer in time (DATABASE_CONNECT_TIMEOUT_MS): check that it runs and that this machine can reach it.`;
  return undefined;
}

function sqliteFailure(e: Failure, database: string): string | undefined {
  if (e.syscall === 'mkdir' || ['EACCES', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(e.code ?? '')) {
    return `cannot create the folder of ${database} (${e.code} at ${e.path ?? 'its folder'}): choose a writable place with DATABASE_URL=sqlite:PATH.`;
  }
  if (e.code === 'SQLITE_CANTOPEN' || e.code === 'SQLITE_READONLY' || e.code === 'SQLITE_PERM') {
    return `cannot open ${database} for writing: check that it is a file in a writable folder, or choose another with DATABASE_URL=sqlite:PATH.`;
  }
  return undefined;
}

/**
 * One line for a person starting the service: what is wrong and what to do, never a stack
 * trace. Anything not recognised is its message, on one line.
 */
export function explainStartupFailure(error: unknown, context: StartupContext): string {
  const e = (error ?? {}) as Failure;
  const code = e.code ?? e.errors?.find((inner) => inner.code)?.code;
  const failure = { ...e, code, message: typeof e.message === 'string' ? e.message : String(error) };
  const database = databaseName(context.databaseUrl);
  const reason =
    (failure.syscall === 'listen' ? listenFailure(failure, context) : undefined) ??
    (code === 'ERR_INVALID_URL' ? `DATABASE_URL is not a valid URL: write it as postgres://user@host:5432/database or sqlite:PATH.` : undefined) ??
    (database.startsWith('PostgreSQL') ? postgresFailure(failure, database) : sqliteFailure(failure, database)) ??
    failure.message;
  return `Linked Orgs cannot start: ${reason.replace(/\s*\n\s*/g, ' ')}`;
}
