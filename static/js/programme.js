// Programme page: offer the zone this device is set to (a click, then "Show" as without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("form[data-zone-form]").forEach((form) => {
    const button = form.querySelector("[data-device-zone]");
    const select = form.querySelector("select[name=zone]");
    if (!button || !select || !zone) return;
    const option = Array.from(select.options).find((o) => o.value === zone);
    if (!option) return;
    button.textContent = `Use this device's zone (${zone.replace(/_/g, " ")})`;
    button.hidden = false;
    button.addEventListener("click", () => {
      select.value = zone;
      form.requestSubmit();
    });
  });
});
