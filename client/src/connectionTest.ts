// Select Database's connection test: connect once with node-postgres and read the server version and
// how many tables the database has outside the system schemas. The URL is never shown; errors are
// passed through the one redaction function.
import { Client } from 'pg';
import { redactUrl } from '../../server/src/protocol';

export type ConnectionTest = { ok: true; version: string; tables: number } | { ok: false; error: string };

export async function testConnection(url: string, timeoutMs = 8000): Promise<ConnectionTest> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'dataflow-performance (connection test)' });
  try {
    await client.connect();
    const r = await client.query<{ version: string; tables: number }>(
      "SELECT current_setting('server_version') AS version, (SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema'))::int AS tables");
    return { ok: true, version: r.rows[0].version.split(' ')[0], tables: r.rows[0].tables };
  } catch (e) {
    const message = (e as Error).message || String(e);
    return { ok: false, error: message.split(url).join(redactUrl(url)) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
