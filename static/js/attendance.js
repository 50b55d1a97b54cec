// Attendance grid: progressive enhancement only (the grid works without JavaScript).
// After htmx swaps a cell, keep the keyboard in it: the reason field when it asks for one,
// otherwise the cell's button.
document.addEventListener("htmx:afterSettle", (event) => {
  const id = event.detail.target && event.detail.target.id;
  if (!id || !id.startsWith("att-")) return;
  const cell = document.getElementById(id);
  const field = cell && (cell.querySelector('input[name="reason"]') || cell.querySelector("button"));
  if (field) field.focus();
});
