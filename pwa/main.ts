/** Entry point: defines the app shell element `<pw-app>` used by index.html. */
import './app/pw-app.js';
