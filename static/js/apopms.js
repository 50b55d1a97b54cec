// apopms: progressive enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Forms that ask for confirmation carry data-confirm="message".
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
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

// Folded sections (the selection board's countries) are a list to pick from on a phone, and all
// unfolded on a wide screen. Without JavaScript they stay folded, and each opens with a click.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(min-width: 992px)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach((details) => {
    details.open = true;
  });
});

// The project form: choosing the host fills the time zone with the host country's, unless one
// was chosen by hand. The map of zones rides on the host select (data-zones).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-host-zone]").forEach((zoneSelect) => {
    const host = document.getElementById(zoneSelect.dataset.hostZone);
    if (!host || !host.dataset.zones) return;
    const zones = JSON.parse(host.dataset.zones);
    let chosenByHand = zoneSelect.value !== "" && zoneSelect.value !== zones[host.value];
    zoneSelect.addEventListener("change", () => { chosenByHand = zoneSelect.value !== ""; });
    host.addEventListener("change", () => {
      if (!chosenByHand && zones[host.value]) zoneSelect.value = zones[host.value];
    });
  });
});
