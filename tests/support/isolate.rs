//! Runs each model test in a process of its own.
//!
//! The test harness runs the model tests two at a time (one per core), as
//! threads of one process. A model checker's execution maps and unmaps
//! memory all the time (loom gives every model thread a fresh coroutine
//! stack in every execution), and two threads of one process doing so
//! serialize on the process's memory map and interrupt each other's core
//! to flush it. Measured on a 2-core machine (VERIFICATION.md, "Run
//! times"), a model ran three to four times slower beside another in the
//! same process than beside the same model in another process. So each
//! test spawns the test binary again, filtered to itself, and passes or
//! fails with that child: the same models, the same bounds and executions,
//! in the same `cargo test`.
//!
//! The child knows it is one from [`CHILD`] in its environment, and runs
//! the test's body itself. The variable chooses where a test runs, never
//! what it explores. Under cargo-nextest, which already runs every test in
//! a process of its own, the body runs directly.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// What a loom run's progress line contains (`loom_runner`).
pub const PROGRESS: &str = " executions so far, ";

/// Set in a child's environment: run the body here.
pub const CHILD: &str = "PRODCON_MODEL_TEST_CHILD";

/// Runs `body`, the calling test's, in a child process running only this
/// test, and panics with the child's output if the child did not pass
/// exactly one test. Runs `body` in this process when already in a child,
/// under cargo-nextest's process-per-test mode, or when the test's name
/// is not known (libtest names a test's thread after the test).
pub fn isolated(body: impl FnOnce()) {
    let test = std::thread::current().name().map(str::to_owned);
    let in_own_process = std::env::var_os(CHILD).is_some()
        || std::env::var("NEXTEST_EXECUTION_MODE").is_ok_and(|mode| mode == "process-per-test");
    let test = match test {
        Some(test) if test != "main" && !in_own_process => test,
        _ => return body(),
    };
    let exe = std::env::current_exe().expect("the test binary's path");
    let mut child = Command::new(exe)
        .args([test.as_str(), "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("could not start the test binary again");
    // A long search's progress lines go out as they come (past the
    // harness's capture); the rest of the child's stderr is kept for the
    // end.
    let child_stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut kept = String::new();
        for line in BufReader::new(child_stderr).lines().map_while(Result::ok) {
            if line.contains(PROGRESS) {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
            kept.push_str(&line);
            kept.push('\n');
        }
        kept
    });
    let output = child
        .wait_with_output()
        .expect("could not wait for the test binary");
    let stderr = reader.join().expect("the stderr reader");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{test} failed in its own process ({}):\n{stdout}{stderr}",
        output.status
    );
    // A filter that matched nothing would exit 0 too.
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "{test}: the child process did not run exactly this test:\n{stdout}"
    );
    // The model runs' lines (each loom run's executions, bound and time,
    // each shuttle depth-first search's executions, and the execution in
    // which a fault was rejected), written past the harness's
    // output capture, so that the plain command shows what every model
    // explored (VERIFICATION.md quotes them).
    let mut lines = String::new();
    let wanted = |l: &&str| {
        (l.starts_with("loom model ") && !l.contains(PROGRESS))
            || l.starts_with("shuttle dfs ")
            || l.contains(" rejected in execution ")
    };
    for line in stderr.lines().filter(wanted) {
        lines.push_str(line);
        lines.push('\n');
    }
    let _ = std::io::stderr().lock().write_all(lines.as_bytes());
}
