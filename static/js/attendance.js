// Attendance grid: progressive enhancement only (the grid works without JavaScript).
// After htmx swaps a cell that asks for a reason, put the keyboard focus in the reason field.
document.addEventListener("htmx:afterSwap", (event) => {
  const field = event.detail.target && document.querySelector(`#${event.detail.target.id} input[name="reason"]`);
  if (field) field.focus();
});
