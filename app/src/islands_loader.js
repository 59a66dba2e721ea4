// Continuum's island loader (inlined, with the page's nonce, by app/src/shell.rs). It waits until the page has
// painted and the browser is idle, so the script and wasm never compete with the HTML and CSS a phone needs
// first; then it loads them and hydrates each island (<leptos-island>) in document order. A page whose only
// island is the hydration marker has nothing to hydrate: it is marked at once and fetches neither.
((script, wasm) => {
  const islands = [...document.querySelectorAll('leptos-island')];
  if (islands.every((island) => island.dataset.component.startsWith('HydrationMarker_'))) {
    document.body.setAttribute('data-hydrated', 'true');
    return;
  }
  const start = () =>
    import(script).then(async (app) => {
      await app.default({ module_or_path: wasm });
      app.hydrate();
      for (const island of islands) {
        const hydrate = app[island.dataset.component];
        if (hydrate) hydrate(island);
        else console.warn(`No wasm function for the island ${island.dataset.component}.`);
      }
    });
  if ('requestIdleCallback' in window) window.requestIdleCallback(start);
  else window.setTimeout(start);
})
