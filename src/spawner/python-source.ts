/**
 * The code of a Python spawner process, for `python3 -I -S -c`: the same jobs and messages as the Node
 * one (source.ts), as JSON lines on its stdin and stdout, with output chunks in base64 and the moment a
 * child was running on the monotonic clock (`mono`, ms) that Node's `process.hrtime` reads too.
 *
 * Why Python: CPython's `subprocess` starts a child with vfork (3.10+ on Linux) from a ~10 MB process,
 * where Node's libuv forks a ~45 MB one and the child unmaps that copy at exec. Measured here: 0.4 ms of
 * CPU in the spawner and 1.9 in the child per process started, against 4.6 and 4.2 from Node
 * (docs/benchmarks.md). Only the standard library; 3.7 or later. A machine without a working
 * python3 gets the Node spawner (pool.ts).
 *
 * It runs one thread: a selector over its stdin, the children's pipes and a self-pipe that SIGCHLD
 * writes to. Children are reaped by pid (never `waitpid(-1)`), and every `Popen` object is kept until
 * its child is reaped so that `subprocess` never reaps one behind its back. SIGINT and SIGTERM are
 * caught and ignored (a terminal's Ctrl-C, or `timeout`'s TERM to the whole group, is Orchard's to act
 * on; children start with default handlers).
 * When its stdin closes — Orchard is gone — it kills every group it started and exits.
 */
export const PYTHON_SPAWNER_SOURCE = String.raw`
import sys

if sys.version_info < (3, 7):
    sys.exit(3)  # never ready: Orchard's jobs go to a Node spawner

import base64, errno, json, os, selectors, signal, subprocess, time

KILL_GRACE = 2.0
sel = selectors.DefaultSelector()
jobs = {}
by_pid = {}
live = set()
timed = set()


def kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except OSError:
        pass


def shutdown():
    for pid in list(live):
        kill_group(pid, signal.SIGKILL)
    os._exit(0)


def send(m):
    write_line((json.dumps(m, separators=(",", ":")) + "\n").encode())


def send_data(job, name, data):
    # Base64 needs no JSON escaping: the line is put together as bytes (json.dumps of a chunk's text
    # cost three times its encoding).
    write_line(b'{"id":%d,"type":"data","stream":"%s","b64":"%s"}\n' % (job.id, name.encode(), base64.b64encode(data)))


def write_line(line):
    data = memoryview(line)
    while data:
        try:
            n = os.write(1, data)
        except InterruptedError:
            continue
        except OSError:
            shutdown()
        data = data[n:]


def signal_name(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return "SIG%d" % n


class Job:
    def __init__(self, m, kind):
        self.id = m["id"]
        self.kind = kind
        self.proc = None
        self.pid = None
        self.outputs = {}
        self.paused = False
        self.exited = False
        self.code = None
        self.sig = None
        self.chunks = {"stdout": [], "stderr": []}
        self.stdin = None
        self.pending = bytearray()
        self.ending = False
        self.began = time.monotonic()
        self.deadline = None
        self.kill_at = None
        self.timed_out = False


def spawn(job, m, want_stdin):
    if m.get("cwd") is not None and not os.path.isdir(m["cwd"]):
        # Node reports a missing working directory as ENOENT of the program; so does this.
        raise FileNotFoundError(2, "No such file or directory")
    proc = subprocess.Popen(
        [m["file"]] + list(m["args"]),
        cwd=m.get("cwd"),
        env=m.get("env"),
        stdin=subprocess.PIPE if want_stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    job.proc = proc
    job.pid = proc.pid
    by_pid[proc.pid] = job
    live.add(proc.pid)
    for name, stream in (("stdout", proc.stdout), ("stderr", proc.stderr)):
        fd = stream.fileno()
        os.set_blocking(fd, False)
        job.outputs[fd] = (name, stream)
        sel.register(fd, selectors.EVENT_READ, (job, name))
    if want_stdin:
        job.stdin = proc.stdin
        os.set_blocking(proc.stdin.fileno(), False)


def error_of(e, file):
    code = None
    if isinstance(e, OSError) and e.errno is not None:
        code = errno.errorcode.get(e.errno)
    if code is not None:
        return code, "spawn %s %s" % (file, code)
    return code, "spawn %s: %s" % (file, e)


def feed(job, data, end):
    if job.stdin is None:
        return
    job.pending += data
    job.ending = job.ending or end
    flush_stdin(job)


def flush_stdin(job):
    stdin = job.stdin
    if stdin is None:
        return
    fd = stdin.fileno()
    while job.pending:
        try:
            n = os.write(fd, job.pending[:65536])
        except BlockingIOError:
            break
        except InterruptedError:
            continue
        except OSError:
            # The child closed its stdin or exited without reading it: expected, not an error.
            job.pending = bytearray()
            job.ending = True
            break
        del job.pending[:n]
    waiting = fd in sel.get_map()
    if job.pending and not waiting:
        sel.register(fd, selectors.EVENT_WRITE, (job, "stdin"))
    elif not job.pending and waiting:
        sel.unregister(fd)
    if not job.pending and job.ending:
        job.stdin = None
        try:
            stdin.close()
        except OSError:
            pass


def start_job(m):
    job = Job(m, "start")
    want_stdin = m.get("openStdin") or m.get("input") is not None
    try:
        spawn(job, m, want_stdin)
    except Exception as e:  # whatever stops a start is that job's error
        code, message = error_of(e, m["file"])
        send({"id": job.id, "type": "error", "code": code, "message": message})
        # As Node closes a child that never started: with the negated errno, where there is one.
        number = getattr(e, "errno", None)
        send({"id": job.id, "type": "close", "code": -number if number else None, "signal": None})
        return
    jobs[job.id] = job
    send({"id": job.id, "type": "spawn", "pid": job.pid, "mono": time.monotonic_ns() / 1e6})
    if m.get("input") is not None and not m.get("openStdin"):
        feed(job, m["input"].encode(), True)


def run_job(m):
    job = Job(m, "run")
    try:
        spawn(job, m, m.get("input") is not None)
    except Exception as e:  # whatever stops a start is that job's error
        message = error_of(e, m["file"])[1]
        send({"id": job.id, "type": "done", "result": {
            "stdout": "", "stderr": message, "exitCode": None, "signal": None, "timedOut": False,
            "durationMs": (time.monotonic() - job.began) * 1000}})
        return
    jobs[job.id] = job
    job.deadline = job.began + m["timeoutMs"] / 1000
    timed.add(job)
    send({"id": job.id, "type": "pid", "pid": job.pid})
    if m.get("input") is not None:
        feed(job, m["input"].encode(), True)


def close_output(job, fd):
    name, stream = job.outputs.pop(fd)
    if fd in sel.get_map():
        sel.unregister(fd)
    stream.close()


def read_output(job, name, fd):
    try:
        data = os.read(fd, 65536)
    except BlockingIOError:
        return
    except OSError:
        data = b""
    if not data:
        close_output(job, fd)
        maybe_close(job)
    elif job.kind == "start":
        send_data(job, name, data)
    else:
        job.chunks[name].append(data)


def reap():
    for pid, job in list(by_pid.items()):
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done, status = pid, 0
        if done == 0:
            continue
        del by_pid[pid]
        if os.WIFSIGNALED(status):
            job.code, job.sig = None, signal_name(os.WTERMSIG(status))
            job.proc.returncode = -os.WTERMSIG(status)
        else:
            job.code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
            job.proc.returncode = job.code if job.code is not None else 0
        job.exited = True
        if job.kind == "start":
            send({"id": job.id, "type": "exit", "code": job.code, "signal": job.sig})
        maybe_close(job)


def maybe_close(job):
    if not job.exited or job.outputs or job.id not in jobs:
        return
    del jobs[job.id]
    live.discard(job.pid)
    timed.discard(job)
    if job.stdin is not None:
        if job.stdin.fileno() in sel.get_map():
            sel.unregister(job.stdin.fileno())
        try:
            job.stdin.close()
        except OSError:
            pass
        job.stdin = None
    if job.kind == "start":
        send({"id": job.id, "type": "close", "code": job.code, "signal": job.sig})
        return
    text = lambda name: b"".join(job.chunks[name]).decode("utf-8", "replace")
    send({"id": job.id, "type": "done", "result": {
        "stdout": text("stdout"), "stderr": text("stderr"), "exitCode": job.code, "signal": job.sig,
        "timedOut": job.timed_out, "durationMs": (time.monotonic() - job.began) * 1000}})


def control(m):
    job = jobs.get(m.get("id"))
    if job is None:
        return
    kind = m["type"]
    if kind == "write":
        feed(job, m["data"].encode(), False)
    elif kind == "end":
        feed(job, b"", True)
    elif kind == "pause" and not job.paused:
        job.paused = True
        for fd in job.outputs:
            sel.unregister(fd)
    elif kind == "resume" and job.paused:
        job.paused = False
        for fd, (name, _) in job.outputs.items():
            sel.register(fd, selectors.EVENT_READ, (job, name))
    elif kind == "destroy":
        for fd in list(job.outputs):
            close_output(job, fd)
        maybe_close(job)


def handle(m):
    kind = m.get("type")
    if kind == "run":
        run_job(m)
    elif kind == "start":
        start_job(m)
    else:
        control(m)


def expire(now):
    for job in list(timed):
        if job.kill_at is not None and now >= job.kill_at:
            job.kill_at = None
            timed.discard(job)
            kill_group(job.pid, signal.SIGKILL)
        elif job.kill_at is None and job.deadline is not None and now >= job.deadline:
            job.deadline = None
            job.timed_out = True
            kill_group(job.pid, signal.SIGTERM)
            job.kill_at = now + KILL_GRACE


def main():
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: None)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    sel.register(wake_r, selectors.EVENT_READ, (None, "wake"))
    os.set_blocking(0, False)
    sel.register(0, selectors.EVENT_READ, (None, "orchard"))
    pending = b""
    send({"type": "ready"})
    while True:
        now = time.monotonic()
        moments = [t for job in timed for t in (job.deadline, job.kill_at) if t is not None]
        timeout = max(0.0, min(moments) - now) if moments else None
        for key, events in sel.select(timeout):
            job, name = key.data
            if name == "orchard":
                try:
                    data = os.read(0, 1 << 20)
                except BlockingIOError:
                    continue
                if not data:
                    shutdown()
                lines = (pending + data).split(b"\n")
                pending = lines.pop()
                for line in lines:
                    if line:
                        handle(json.loads(line))
            elif name == "wake":
                try:
                    while os.read(wake_r, 4096):
                        pass
                except BlockingIOError:
                    pass
                reap()
            elif name == "stdin":
                flush_stdin(job)
            elif key.fd in job.outputs:
                read_output(job, name, key.fd)
        expire(time.monotonic())


main()
`;
