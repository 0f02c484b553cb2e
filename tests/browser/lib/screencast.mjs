// Chrome DevTools Protocol helpers: screencast frames, event-listener counts, and a getContext wrapper
// that counts rendering contexts (for tests of loading states, fallbacks, destroy() and leaks).

/**
 * Records the frames Chromium paints while `fn` runs. Chromium sends a frame only when the page's
 * pixels change, so the list shows each distinct state (e.g. whether a blank frame ever appeared).
 * Returns [{ data: Buffer (PNG or JPEG), metadata: { timestamp, deviceWidth, ... } }].
 */
export async function recordScreencast(page, fn, { format = 'png', everyNthFrame = 1, ...rest } = {}) {
  const cdp = await page.context().newCDPSession(page);
  const frames = [];
  cdp.on('Page.screencastFrame', ({ data, metadata, sessionId }) => {
    frames.push({ data: Buffer.from(data, 'base64'), metadata });
    // Unacknowledged frames stall the screencast; the ack may fail once it has been stopped.
    cdp.send('Page.screencastFrameAck', { sessionId }).catch(() => {});
  });
  try {
    await cdp.send('Page.startScreencast', { format, everyNthFrame, ...rest });
    await fn();
  } finally {
    await cdp.send('Page.stopScreencast').catch(() => {});
    await cdp.detach().catch(() => {});
  }
  return frames;
}

/**
 * Every event listener on `window`, `document`, every element and every shadow root (open or closed) of
 * the page and its same-process frames: [{ target: 'window' | 'document' | tag name | '#shadow-root',
 * type, handler? }]. Listeners inside workers are not seen.
 */
export async function listListeners(page) {
  const cdp = await page.context().newCDPSession(page);
  const objectGroup = 'logmesh-listeners';
  const found = [];
  const collect = async (objectId, target) => {
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId, depth: 0 });
    for (const l of listeners) found.push({ target, type: l.type });
  };
  try {
    const win = await cdp.send('Runtime.evaluate', { expression: 'window', objectGroup });
    await collect(win.result.objectId, 'window');

    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const nodes = [];
    const walk = (node) => {
      // 1: element, 9: document (also an iframe's), 11: shadow root.
      if (node.nodeType === 1 || node.nodeType === 9 || node.nodeType === 11) nodes.push(node);
      for (const child of node.children ?? []) walk(child);
      for (const shadow of node.shadowRoots ?? []) walk(shadow);
      if (node.contentDocument) walk(node.contentDocument);
      if (node.templateContent) walk(node.templateContent);
    };
    walk(root);
    await Promise.all(
      nodes.map(async (node) => {
        const { object } = await cdp
          .send('DOM.resolveNode', { backendNodeId: node.backendNodeId, objectGroup })
          .catch(() => ({ object: null })); // a node removed meanwhile, or in another process
        if (!object?.objectId) return;
        const target =
          node.nodeType === 9 ? 'document' : node.nodeType === 11 ? '#shadow-root' : node.nodeName.toLowerCase();
        await collect(object.objectId, target);
      }),
    );
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => {});
    await cdp.detach().catch(() => {});
  }
  return found;
}

/** The total number of event listeners listListeners finds. */
export async function countListeners(page) {
  return (await listListeners(page)).length;
}

/**
 * Installs (before any page script runs, in every frame of every later navigation) a wrapper around
 * HTMLCanvasElement.prototype.getContext and OffscreenCanvas.prototype.getContext, exposed as
 * window.__logmeshContexts:
 *   created: { [contextType]: number of distinct contexts handed out }   (e.g. webgpu, webgl2, 2d)
 *   failed:  { [contextType]: number of getContext calls that returned null }
 *   live(type?): how many contexts (of that type) belong to a canvas element still in the document.
 *     Contexts of OffscreenCanvases count in `created` but never as live: they have no document.
 * Canvases are held weakly, so the wrapper keeps nothing alive. Call before page.goto().
 * Contexts created inside workers are not seen.
 */
export async function wrapGetContext(page) {
  await page.addInitScript(() => {
    if (window.__logmeshContexts) return;
    const created = {};
    const failed = {};
    const seen = new WeakSet();
    const entries = []; // { type, canvas: WeakRef<HTMLCanvasElement> } for element canvases only
    const wrap = (proto, isElement) => {
      const original = proto?.getContext;
      if (!original) return;
      // A plain function (not an arrow) so `this` is the canvas; keeps name and length for feature tests.
      const getContext = function getContext(type, ...args) {
        const ctx = original.call(this, type, ...args);
        const key = String(type);
        if (ctx == null) {
          failed[key] = (failed[key] ?? 0) + 1;
        } else if (!seen.has(ctx)) {
          seen.add(ctx); // getContext returns the same object on repeated calls: count it once
          created[key] = (created[key] ?? 0) + 1;
          if (isElement) entries.push({ type: key, canvas: new WeakRef(this) });
        }
        return ctx;
      };
      Object.defineProperty(getContext, 'length', { value: original.length });
      Object.defineProperty(proto, 'getContext', { value: getContext, writable: true, configurable: true });
    };
    wrap(globalThis.HTMLCanvasElement?.prototype, true);
    wrap(globalThis.OffscreenCanvas?.prototype, false);
    Object.defineProperty(window, '__logmeshContexts', {
      value: Object.freeze({
        created,
        failed,
        live: (type) =>
          entries.filter((e) => (type === undefined || e.type === type) && e.canvas.deref()?.isConnected).length,
      }),
    });
  });
}

/** A snapshot of window.__logmeshContexts: { created, failed, live } with plain numbers. */
export async function contextCounts(page) {
  return page.evaluate(() => {
    const c = window.__logmeshContexts;
    if (!c) throw new Error('wrapGetContext(page) was not called before the page loaded');
    return { created: { ...c.created }, failed: { ...c.failed }, live: c.live() };
  });
}
