// Highlights a field's box while its row is hovered, and the row while
// its box's label is. The page works without it.
document.addEventListener("DOMContentLoaded", () => {
  for (const doc of document.querySelectorAll(".doc")) {
    for (const row of doc.querySelectorAll("tr[data-field]")) {
      const box = [...doc.querySelectorAll("g.box")].find((g) => g.dataset.field === row.dataset.field);
      if (!box) continue;
      row.addEventListener("mouseenter", () => box.classList.add("hot"));
      row.addEventListener("mouseleave", () => box.classList.remove("hot"));
    }
  }
});
