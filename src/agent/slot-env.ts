/** The environment that tells an agent (and the dev servers it starts) which slot it is in. */
export function slotEnv(input: {
  runId: string;
  taskId: string;
  slotId: string;
  portBase: number;
}): Record<string, string> {
  return {
    ORCHARD_RUN_ID: input.runId,
    ORCHARD_TASK_ID: input.taskId,
    ORCHARD_SLOT: input.slotId,
    ORCHARD_PORT_BASE: String(input.portBase),
  };
}
