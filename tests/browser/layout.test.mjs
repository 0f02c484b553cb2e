// Browser layout: without a layout file the element lays the posts out itself, in slices (the page
// keeps running tasks meanwhile), to the same positions_hash as `logmesh bake`; with a layout file
// it does no layout work at all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GRAPH, open, skipUnlessBuilt, waitForState } from './lib/site.mjs';

const baked = JSON.parse(readFileSync(join(GRAPH, 'layout.json'), 'utf8')).positions_hash;

test('?src= lays out in the browser, in slices, to the hash logmesh bake wrote [webgl2]', { skip: skipUnlessBuilt, timeout: 120_000 }, async () => {
  const site = await open('webgl2');
  try {
    await site.page.addInitScript(() => {
      // Count tasks that run while the element is loading: a layout in one block would allow none.
      window.__ticks = 0;
      const tick = () => {
        if (document.querySelector('log-mesh')?.state === 'loading') window.__ticks++;
        if (document.querySelector('log-mesh')?.state !== 'live') setTimeout(tick, 4);
      };
      setTimeout(tick, 0);
    });
    await site.page.goto(site.url('/log/?src=/graph/posts.min.json'));
    assert.equal(await waitForState(site.page, ['live', 'error']), 'live');
    const { hash, ticks, layoutFetched } = await site.page.evaluate(() => ({
      hash: document.querySelector('log-mesh').stats().positions_hash,
      ticks: window.__ticks,
      layoutFetched: performance.getEntriesByType('resource').some((e) => e.name.endsWith('layout.json')),
    }));
    assert.equal(hash, baked, 'the same positions_hash as the prerender/bake');
    assert.equal(layoutFetched, false);
    assert.ok(ticks >= 10, `the page ran only ${ticks} tasks during the layout`);
    assert.deepEqual(site.page.errors, []);
  } finally {
    await site.close();
  }
});

test('with a layout file the element uses its positions as they are [webgl2]', { skip: skipUnlessBuilt, timeout: 60_000 }, async () => {
  const site = await open('webgl2');
  try {
    await site.page.goto(site.url('/log/'));
    assert.equal(await waitForState(site.page, ['live', 'error']), 'live');
    const hash = await site.page.evaluate(() => document.querySelector('log-mesh').stats().positions_hash);
    assert.equal(hash, baked);
  } finally {
    await site.close();
  }
});
