/**
 * Pool sizing with DataFlow 2.20's own resolution rules (reference §1.5):
 *   pool_size: explicit → DATAFLOW_POOL_SIZE → auto-scale from max_connections
 *              (max(2, int(max_connections*0.7) // (workers*3//2))) → min(5, cpu_count);
 *   pool_max_overflow: explicit → max(2, pool_size // 2).
 * DataFlow itself never applies these to the pool its nodes use (asyncpg max_size=20, §1.6);
 * this runtime does, and reports that as a divergence.
 */
export interface PoolSettingsInput {
  poolSize?: number | null;
  poolMaxOverflow?: number | null;
}

export interface PoolEnvironment {
  env?: Record<string, string | undefined>;
  cpuCount: number;
  /** SHOW max_connections, when it could be read. */
  maxConnections?: number;
}

export interface ResolvedPool {
  poolSize: number;
  maxOverflow: number;
  /** pg.Pool max = poolSize + maxOverflow. */
  max: number;
  workers: number;
  poolSizeSource: 'explicit' | 'DATAFLOW_POOL_SIZE' | 'auto-scale' | 'cpu-fallback';
  overflowSource: 'explicit' | 'default';
}

/** DataFlow's detect_worker_count(). */
export function detectWorkerCount(env: Record<string, string | undefined>): number {
  for (const name of ['DATAFLOW_WORKER_COUNT', 'KAILASH_WORKERS', 'UVICORN_WORKERS', 'WEB_CONCURRENCY', 'GUNICORN_WORKERS']) {
    const v = env[name];
    if (v !== undefined && /^\s*\d+\s*$/.test(v) && Number(v) >= 1) return Number(v);
  }
  return 1;
}

export function resolvePoolSettings(input: PoolSettingsInput, environment: PoolEnvironment): ResolvedPool {
  const env = environment.env ?? {};
  const workers = detectWorkerCount(env);
  let poolSize: number;
  let poolSizeSource: ResolvedPool['poolSizeSource'];
  const envSize = env.DATAFLOW_POOL_SIZE;
  if (input.poolSize !== undefined && input.poolSize !== null) {
    poolSize = input.poolSize;
    poolSizeSource = 'explicit';
  } else if (envSize !== undefined && /^\s*\d+\s*$/.test(envSize) && Number(envSize) >= 1) {
    poolSize = Number(envSize);
    poolSizeSource = 'DATAFLOW_POOL_SIZE';
  } else if (environment.maxConnections !== undefined) {
    const available = Math.floor(environment.maxConnections * 0.7);
    const divisor = Math.max(1, Math.floor((workers * 3) / 2));
    poolSize = Math.max(2, Math.floor(available / divisor));
    poolSizeSource = 'auto-scale';
  } else {
    poolSize = Math.min(5, environment.cpuCount);
    poolSizeSource = 'cpu-fallback';
  }
  let maxOverflow: number;
  let overflowSource: ResolvedPool['overflowSource'];
  if (input.poolMaxOverflow !== undefined && input.poolMaxOverflow !== null) {
    maxOverflow = input.poolMaxOverflow;
    overflowSource = 'explicit';
  } else {
    maxOverflow = Math.max(2, Math.floor(poolSize / 2));
    overflowSource = 'default';
  }
  return {
    poolSize,
    maxOverflow,
    max: Math.max(1, poolSize + maxOverflow),
    workers,
    poolSizeSource,
    overflowSource,
  };
}
