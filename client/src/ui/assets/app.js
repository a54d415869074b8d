// The application's one script. The pages work without it. It shows how long work takes: a
// form's button is disabled while the chain takes the transaction (until the block is final,
// several seconds) and counts the seconds, so that nobody sends it twice, and a file being
// uploaded shows how much of it has gone; and it shows the notifications the server sends as
// the chain finalizes blocks.
"use strict";

// Counts the seconds on `button` with `label` until the page goes.
function working(button, label) {
	const started = Date.now();
	const show = () => {
		button.textContent = label + " " + Math.round((Date.now() - started) / 1000) + " s";
	};
	show();
	return setInterval(show, 1000);
}

// Sends a form with a file through XMLHttpRequest, which reports the upload's progress; the
// answer replaces the page as a normal submission's would.
function upload(form, button) {
	const request = new XMLHttpRequest();
	request.open("POST", form.action);
	request.upload.addEventListener("progress", (event) => {
		if (event.lengthComputable) {
			button.textContent = "Uploading… " + Math.round((100 * event.loaded) / event.total) + " %";
		}
	});
	request.upload.addEventListener("load", () => {
		working(button, "Encrypting, storing and waiting for the chain…");
	});
	request.addEventListener("load", () => {
		if (request.responseURL && new URL(request.responseURL).pathname !== new URL(form.action).pathname) {
			window.location.assign(request.responseURL);
		} else {
			if (source) {
				source.close();
			}
			document.open();
			document.write(request.responseText);
			document.close();
		}
	});
	request.addEventListener("error", () => {
		button.disabled = false;
		button.textContent = "The upload failed: try again";
	});
	request.send(new FormData(form));
}

document.addEventListener("submit", (event) => {
	const form = event.target;
	const button = form.querySelector("button[type=submit], button:not([type])");
	if (!button) {
		return;
	}
	if (form.enctype === "multipart/form-data" && form.method === "post") {
		event.preventDefault();
		button.disabled = true;
		upload(form, button);
		return;
	}
	// Disabled after the browser has taken the form's values (a disabled button sends none).
	setTimeout(() => {
		button.disabled = true;
	});
	working(button, "Waiting for the chain…");
});

// Notifications: each page streams those after the last one shown on an earlier page of this
// tab, so that none made while the user moves between pages is missed.
const notices = document.getElementById("notices");
let source = null;
if (notices && window.EventSource) {
	const seen = sessionStorage.getItem("ehr-last-notice");
	source = new EventSource(seen === null ? "/notices" : "/notices?since=" + encodeURIComponent(seen));
	source.addEventListener("start", (event) => {
		if (sessionStorage.getItem("ehr-last-notice") === null) {
			sessionStorage.setItem("ehr-last-notice", event.data);
		}
	});
	source.addEventListener("notice", (event) => {
		const notice = JSON.parse(event.data);
		const item = document.createElement("div");
		item.className = "notice";
		item.setAttribute("role", "status");
		const link = typeof notice.link === "string" && /^\/[^/\\]/.test(notice.link) ? notice.link : null;
		const text = document.createElement(link ? "a" : "span");
		text.textContent = notice.text;
		if (link) {
			text.href = link;
		}
		item.appendChild(text);
		notices.prepend(item);
		sessionStorage.setItem("ehr-last-notice", String(notice.id));
	});
}
