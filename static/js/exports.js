// The exports page: the download refuses an empty parameter (a 400 that lists the allowed values), so the
// form leaves out the date fields an editor left blank instead of sending them empty.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches(".export-filters")) return;
  for (const input of form.querySelectorAll("input[type=date]")) {
    if (!input.value) input.disabled = true;
  }
  // Enabled again for the next use of the page (the download does not leave it).
  setTimeout(() => form.querySelectorAll("input[type=date]").forEach((input) => { input.disabled = false; }), 0);
});
