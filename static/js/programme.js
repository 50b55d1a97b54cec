// Programme page: offer the zone this device is set to (a click, then "Show" as without JavaScript).
// The select lists the member countries' zones; the device's may be another, which the server takes.
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("form[data-zone-form]").forEach((form) => {
    const button = form.querySelector("[data-device-zone]");
    const select = form.querySelector("select[name=zone]");
    // Zones the server lists (sessions.forms): an area and a place, not "UTC" nor "Etc/...".
    if (!button || !select || !zone || !zone.includes("/") || zone.startsWith("Etc/")) return;
    button.textContent = `Use this device's zone (${zone.replace(/_/g, " ")})`;
    button.hidden = false;
    button.addEventListener("click", () => {
      if (!Array.from(select.options).some((o) => o.value === zone)) {
        select.add(new Option(zone.replace(/_/g, " "), zone));
      }
      select.value = zone;
      form.requestSubmit();
    });
  });
});
