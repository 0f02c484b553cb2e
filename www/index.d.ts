/**
 * `{code, message}`: `fetch`, `data`, `layout`, `render` or `panic`; a `setData` superseded by
 * newer data or by `destroy()` rejects with `aborted` (never an `error` event).
 */
export interface LogMeshFailure extends Error {
  code: 'fetch' | 'data' | 'layout' | 'render' | 'panic' | 'aborted';
}

export interface LogMeshStats {
  mode: '3d' | '2d' | null;
  backend: 'webgpu' | 'webgl2' | 'canvas2d' | null;
  reason: string | null;
  fps: number;
  frame_ms_p50: number | null;
  frame_ms_p95: number | null;
  pick_ms_p50: number | null;
  pick_ms_p95: number | null;
  posts: number | null;
  edges: number | null;
  positions_hash: string | null;
  /** Posts of the graph shown that search's index has folded: 0 until the page uses search. */
  search_indexed: number;
  wasm_bytes: number;
}

export interface LogMeshScreenPosition {
  x: number;
  y: number;
  r: number;
  visible: boolean;
}

export interface LogMeshEventMap {
  ready: CustomEvent<{ mode: '3d' | '2d'; backend: 'webgpu' | 'webgl2' | 'canvas2d' }>;
  hover: CustomEvent<{ id: string; title: string } | { id: null }>;
  select: CustomEvent<{ id: string; title: string; url: string | null } | { id: null }>;
  open: CustomEvent<{ id: string; url: string }>;
  fallback: CustomEvent<{ from: string; to: string; reason: string }>;
  filter: CustomEvent<{ count: number }>;
  error: CustomEvent<{ code: Exclude<LogMeshFailure['code'], 'aborted'>; message: string }>;
}

export interface LogMeshElement extends HTMLElement {
  readonly state: 'static' | 'loading' | 'live' | 'error';
  setData(posts: object | string, layout?: object | string): Promise<void>;
  setLocal(id: string | null, depth?: number): Promise<void>;
  setFilter(filter?: { tags?: string[]; query?: string } | null): void;
  search(query: string): { id: string; title: string }[];
  tags(): { tag: string; count: number }[];
  focusPost(id: string): boolean;
  clearSelection(): void;
  screenPosition(id: string): LogMeshScreenPosition | null;
  stats(): LogMeshStats;
  destroy(): void;
  addEventListener<K extends keyof LogMeshEventMap>(
    type: K,
    listener: (this: LogMeshElement, event: LogMeshEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

export function defineLogMesh(name?: string): (new () => LogMeshElement) | undefined;
export function createLogMeshClass(base: typeof HTMLElement): new () => LogMeshElement;

declare global {
  interface HTMLElementTagNameMap {
    'log-mesh': LogMeshElement;
  }
}
