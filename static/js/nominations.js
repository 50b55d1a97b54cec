// Nominations: progressive enhancements of the ranking table. Without JavaScript, the up/down
// buttons are plain forms that reload the page; with it, htmx swaps the table in place, keyboard
// focus stays on the moved row, and rows can be dragged (the whole new order is one request).
(() => {
  let lastMove = null;

  function submitOrder(container) {
    const order = [...container.querySelectorAll("tr[data-rank-id]")].map((row) => row.dataset.rankId);
    window.htmx.ajax("POST", container.dataset.rankUrl, {
      source: container,
      target: "#nomination-table",
      swap: "outerHTML",
      values: { order },
    });
  }

  function enableDragging() {
    const container = document.getElementById("nomination-table");
    if (!container || !container.dataset.rankUrl || !window.htmx) return;
    let dragged = null;
    let moved = false;
    container.querySelectorAll("tr[data-rank-id]").forEach((row) => {
      row.addEventListener("dragstart", (event) => {
        dragged = row;
        moved = false;
        row.classList.add("nomination-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.dataset.rankId);
      });
      row.addEventListener("dragover", (event) => {
        if (!dragged || dragged === row) return;
        event.preventDefault();
        const box = row.getBoundingClientRect();
        const after = event.clientY > box.top + box.height / 2;
        const reference = after ? row.nextElementSibling : row;
        if (reference !== dragged && dragged.nextElementSibling !== reference) {
          row.parentNode.insertBefore(dragged, reference);
          moved = true;
        }
      });
      row.addEventListener("drop", (event) => event.preventDefault());
      row.addEventListener("dragend", () => {
        row.classList.remove("nomination-dragging");
        if (dragged && moved) submitOrder(container);
        dragged = null;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", enableDragging);
  document.addEventListener("htmx:beforeRequest", (event) => {
    const button = event.detail.elt.querySelector && event.detail.elt.querySelector("button[data-move]");
    lastMove = button ? button.dataset.move : null;
  });
  document.addEventListener("htmx:afterSwap", () => {
    enableDragging();
    if (!lastMove) return;
    const again = document.querySelector(`button[data-move="${lastMove}"]`);
    const [pk] = lastMove.split("-");
    const fallback = document.querySelector(`#nomination-${pk} button[data-move]`);
    (again || fallback)?.focus();
    lastMove = null;
  });
})();
