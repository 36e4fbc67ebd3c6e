/** Plans the server tests run (scripted agent: each task writes the files it names). */
const task = (id: string, file: string, extra = "") =>
  `### Task ${id}: Make ${file}\n**Files:**\n- Create: \`${file}\`\n\nWrite it.\n${extra}\n`;

export const TWO_BATCHES = `# Two batches

## Batch 1: First

${task("1.1", "a.txt")}
${task("1.2", "b.txt")}
## Batch 2: Second
**Dependencies:** Batch 1

${task("2.1", "c.txt")}`;

export const ONE_FAILS = `# One fails

## Batch 1: Only

${task("1.1", "good.txt")}
${task("1.2", "bad.txt", "\n**Verification:**\n- `test -f never-there.txt`\n")}`;
