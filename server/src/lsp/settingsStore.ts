// The `dataflow.*` settings per resource, fetched with workspace/configuration when the client
// supports it (eslint's rule: never global state for settings), cached until they change.
import type { Connection } from 'vscode-languageserver';
import { settingsFrom, type AnalysisSettings } from '../settings';

export interface ServerSettings extends AnalysisSettings {
  run: 'onType' | 'onSave';
  debounceMs: number;
  exclude: string[];
  /** `dataflow.inlayHints.profile`: measured times after each add_node call of a profiled file. */
  profileHints: boolean;
}

function serverSettingsFrom(raw: unknown): ServerSettings {
  const base = settingsFrom(raw);
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const files = (r.files && typeof r.files === 'object' ? r.files : {}) as Record<string, unknown>;
  return {
    ...base,
    run: r.run === 'onSave' ? 'onSave' : 'onType',
    debounceMs: typeof r.debounceMs === 'number' && r.debounceMs >= 0 ? Math.min(r.debounceMs, 5000) : 150,
    exclude: Array.isArray(files.exclude) ? files.exclude.filter((x): x is string => typeof x === 'string') : [],
    profileHints: !(r.inlayHints && typeof r.inlayHints === 'object' && (r.inlayHints as Record<string, unknown>).profile === false),
  };
}

export class SettingsStore {
  private cache = new Map<string, Promise<ServerSettings>>();
  private fallback: ServerSettings;
  pullSupported = false;

  constructor(private readonly connection: Connection, initOptions: unknown) {
    const io = (initOptions && typeof initOptions === 'object' ? initOptions : {}) as Record<string, unknown>;
    this.fallback = serverSettingsFrom(io.settings);
  }

  /** Settings pushed with didChangeConfiguration (clients without workspace/configuration). */
  setFallback(raw: unknown): void {
    this.fallback = serverSettingsFrom(raw);
    this.cache.clear();
  }

  clear(): void { this.cache.clear(); }

  get(uri?: string): Promise<ServerSettings> {
    if (!this.pullSupported) return Promise.resolve(this.fallback);
    const key = uri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'dataflow' })
        .then((raw) => (raw ? serverSettingsFrom(raw) : this.fallback), () => this.fallback);
      this.cache.set(key, p);
    }
    return p;
  }
}
