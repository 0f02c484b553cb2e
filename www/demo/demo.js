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
