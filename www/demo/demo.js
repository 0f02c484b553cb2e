// The demo page: `?src=<same-origin path>` shows another posts.json, laid out in the browser
// (the bundled static frame is of the bundled site, so it is removed first). Then the element
// is registered.
const mesh = document.querySelector('log-mesh');
const src = new URLSearchParams(location.search).get('src');
if (mesh && src) {
  const url = new URL(src, location.href);
  if (url.origin === location.origin) {
    for (const child of [...mesh.children]) child.remove();
    mesh.removeAttribute('layout');
    mesh.setAttribute('src', url.pathname + url.search);
  } else {
    console.warn(`logmesh demo: ?src must be a same-origin path; ignored ${src}`);
  }
}
await import('../logmesh/element.js');

// The finder under the graph (below it, so that nothing it adds can move the graph): a search
// box (results listed, ringed in the graph, the rest dimmed) and tag chips (the most used tags,
// one scrolling row of a fixed height: each pressed chip keeps its posts), with the number of
// posts that pass announced to screen readers.
const finder = document.querySelector('form.finder');
if (mesh && finder) {
  const input = /** @type {HTMLInputElement} */ (finder.querySelector('input'));
  const chips = /** @type {HTMLElement} */ (finder.querySelector('.chips'));
  const status = /** @type {HTMLElement} */ (finder.querySelector('.status'));
  const results = /** @type {HTMLElement} */ (finder.querySelector('.results'));
  /** @type {Set<string>} */
  const pressed = new Set();
  const apply = () => {
    const query = input.value.trim();
    mesh.setFilter({ tags: [...pressed], query });
    const found = query ? mesh.search(query).slice(0, 8) : [];
    if (!query) mesh.search('');
    results.replaceChildren(...found.map(({ id, title }) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = title;
      button.addEventListener('click', () => mesh.focusPost(id));
      item.append(button);
      return item;
    }));
  };
  mesh.addEventListener('filter', (e) => {
    const { count } = /** @type {CustomEvent<{count: number}>} */ (e).detail;
    const filtering = pressed.size > 0 || input.value.trim() !== '';
    status.textContent = filtering ? `${count} ${count === 1 ? 'post matches' : 'posts match'}` : '';
  });
  finder.addEventListener('submit', (e) => e.preventDefault());
  input.addEventListener('input', apply);
  // The most used tags of the graph shown, once it is shown: the finder fetches nothing itself,
  // so the page loads the picture first (and, under Save-Data, nothing more until asked).
  const showChips = () => {
    chips.replaceChildren(...mesh.tags().slice(0, 8).map(({ tag }) => {
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip';
      chip.textContent = `#${tag}`;
      chip.setAttribute('aria-pressed', String(pressed.has(tag)));
      chip.addEventListener('click', () => {
        if (pressed.has(tag)) pressed.delete(tag);
        else pressed.add(tag);
        chip.setAttribute('aria-pressed', String(pressed.has(tag)));
        apply();
      });
      return chip;
    }));
  };
  mesh.addEventListener('ready', showChips);
  if (mesh.state === 'live') showChips();
}
