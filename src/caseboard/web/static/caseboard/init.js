// Caseboard page start-up, loaded by layouts/base.html as
// <script type="module">. The page runs under a Content-Security-Policy
// without 'unsafe-inline', so this replaces the inline snippet of the NHS.UK
// page template: module scripts only run in browsers NHS.UK frontend
// supports, so it is safe to mark the body as supported here.
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
