// apopms: progressive enhancements only; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Forms that ask for confirmation carry data-confirm="message".
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
