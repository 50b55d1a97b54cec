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

// The project form: only the quotas of the chosen shape are shown (one total, or overseas and
// local). Without JavaScript all are shown and the server ignores the other shape's numbers.
document.addEventListener("DOMContentLoaded", () => {
  const shapes = document.querySelectorAll("input[name='quota_shape']");
  if (!shapes.length) return;
  const groups = {
    total: ["div_id_total_quota"],
    overseas_local: ["div_id_overseas_quota", "div_id_local_quota"],
  };
  const show = () => {
    const chosen = document.querySelector("input[name='quota_shape']:checked");
    const shape = chosen ? chosen.value : "overseas_local";
    Object.entries(groups).forEach(([name, ids]) => {
      ids.forEach((id) => {
        const box = document.getElementById(id);
        if (box) box.hidden = name !== shape;
      });
    });
  };
  shapes.forEach((radio) => radio.addEventListener("change", show));
  show();
});
