// Nominations: keep keyboard focus on the moved row's button after htmx swaps the ranking table.
// Without JavaScript, the up/down buttons are plain forms that reload the page.
(() => {
  let lastMove = null;
  document.addEventListener("htmx:beforeRequest", (event) => {
    const button = event.detail.elt.querySelector("button[data-move]");
    lastMove = button ? button.dataset.move : null;
  });
  document.addEventListener("htmx:afterSwap", () => {
    if (!lastMove) return;
    const again = document.querySelector(`button[data-move="${lastMove}"]`);
    const [pk] = lastMove.split("-");
    const fallback = document.querySelector(`#nomination-${pk} button[data-move]`);
    (again || fallback)?.focus();
    lastMove = null;
  });
})();
