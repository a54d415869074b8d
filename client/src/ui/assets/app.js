// The application's one script. The pages work without it; it only disables a form's button
// while the chain takes the transaction (until the block is final, several seconds), so that
// nobody sends it twice.
"use strict";
document.addEventListener("submit", (event) => {
	const button = event.target.querySelector("button[type=submit], button:not([type])");
	if (button) {
		button.disabled = true;
		button.textContent = "Waiting for the chain…";
	}
});
