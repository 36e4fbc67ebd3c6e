/** Plans for the dashboard tests: every task names the one file the gated agent writes. */
const task = (id: string) =>
  `### Task ${id}: Make out-${id}.txt\n**Files:**\n- Create: \`out-${id}.txt\`\n\nWrite out-${id}.txt.\n`;

export const SIX = `# Six at once\n\n## Batch 1: All\n\n${["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"].map(task).join("\n")}`;

export const TWO = `# Two\n\n## Batch 1: Both\n\n${task("1.1")}\n${task("1.2")}`;
