/** What a command may touch of the outside world: injected so tests drive the CLI in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Set by the command: the process exit code. */
  exitCode: number;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  exitCode: 0,
});

export const println = (stream: NodeJS.WritableStream, line = "") => {
  stream.write(`${line}\n`);
};
