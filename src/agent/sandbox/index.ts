/** The OS sandbox of `--mode sandbox`: bubblewrap confines each agent, setup and verification command to its slot. */
export { probeSandbox, type SandboxSupport, sandboxSupport } from "./available.js";
export { type AllowedHost, isAllowed, parseAllowedHost } from "./hosts.js";
export { type Command, type Confine, type OpenSandboxInput, openSandbox, type Sandbox } from "./sandbox.js";
