/** `orchard serve`: the HTTP API over the engine (the original routes, /api/runs, live events, OpenAPI). */
export { buildApp } from "./app.js";
export { DEFAULTS, isLoopback, type ServerConfig } from "./config.js";
export { type RunningServer, startServer } from "./start.js";
