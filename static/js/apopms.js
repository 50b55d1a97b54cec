// apopms: progressive enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Forms that ask for confirmation carry data-confirm="message". An irreversible action's form also
  // carries its server-side confirmation token (data-confirm-token, see apopms/confirm.py): agreeing in
  // the dialog sends it, so the server acts at once; without JavaScript it asks on a page of its own.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      if (form.dataset.confirmToken && !form.querySelector("input[name=confirm]")) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = "confirm";
        input.value = form.dataset.confirmToken;
        form.appendChild(input);
      }
    });
  });
});

// A table wider than the screen scrolls inside its .table-responsive box: make that box
// reachable by keyboard while (and only while) it scrolls (WCAG 2.1.1; axe scrollable-region-focusable).
function apopmsFocusableScrollers() {
  document.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
      const caption = box.querySelector("caption");
      if (!box.hasAttribute("aria-label") && caption) box.setAttribute("aria-label", caption.textContent.trim());
    } else if (box.tabIndex === 0) {
      box.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", apopmsFocusableScrollers);
window.addEventListener("resize", apopmsFocusableScrollers);
document.addEventListener("htmx:afterSettle", apopmsFocusableScrollers);
