/**
 * Runs one benchmark row in its own process, so that the peak RSS it reports belongs to that row alone
 * (`maxRSS` is a whole-process high-water mark). Progress goes to stderr; the result is the last line of
 * stdout, as JSON.
 * argv: <RowJob json>
 */
import { type RowJob, runRowJob } from "./row-job.js";

const [jobJson] = process.argv.slice(2);
if (!jobJson) throw new Error("usage: row-child <row-job-json>");
const result = await runRowJob(JSON.parse(jobJson) as RowJob, (line) => process.stderr.write(`${line}\n`));
process.stdout.write(`${JSON.stringify(result)}\n`);
