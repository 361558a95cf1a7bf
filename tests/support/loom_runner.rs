#![allow(dead_code)]
//! How the loom models are run: the bound is fixed in code (never taken from
//! `LOOM_MAX_PERMUTATIONS` / `LOOM_MAX_DURATION`, which end the search early
//! and still pass), and a known-buggy model must fail.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

// The models evaluate the crate's debug assertions and overflow checks, so
// a build without them (`--release`) is refused here, at compile time. The
// dev profile is optimized (Cargo.toml), so nothing is gained by it.
const _: () = assert!(
    cfg!(debug_assertions),
    "run the model suites without --release: they evaluate the crate's debug assertions"
);

/// Explores `model`: every interleaving when `preemption_bound` is `None`,
/// otherwise every interleaving with at most that many preemptions.
/// Returns the number of executions explored (also printed, for the
/// record in VERIFICATION.md; see it with `-- --nocapture`).
pub(crate) fn check<F>(name: &str, preemption_bound: Option<usize>, model: F) -> usize
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = preemption_bound;
    builder.max_permutations = None;
    builder.max_duration = None;
    builder.checkpoint_file = None;
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let started = Instant::now();
    // A search of many minutes says how far it has got, once a minute, so
    // that one stopped from outside still tells its size so far.
    let progress = Progress::start(name, Arc::clone(&executions));
    let explore = move || {
        builder.check(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            model();
        })
    };
    // The target chooses which waiter a model `notify_one` wakes
    // (`loom-tests/newest_first.rs`).
    let order = if crate::NEWEST_FIRST {
        prodcon::model::newest_first(explore);
        ", notify_one newest first"
    } else {
        explore();
        ""
    };
    drop(progress);
    let executions = executions.load(Ordering::Relaxed);
    let bound = match preemption_bound {
        None => "exhaustive".to_string(),
        Some(n) => format!("preemption bound {n}"),
    };
    eprintln!(
        "loom model {name}: {executions} executions, {bound}{order}, {:.2?}",
        started.elapsed()
    );
    executions
}

/// Explores `model` exhaustively in segments that may each be stopped
/// from outside and resumed, for the searches that outlast one sitting
/// (`loom-tests/resumable.rs`). loom writes its place in the search to
/// `checkpoint` every [`SEGMENT_STEP`] executions and, when the file
/// exists, starts from the place it records (loom's `checkpoint` feature).
///
/// Beside it, `<checkpoint>.progress` (the ledger) holds the executions
/// finished before that place, over every segment, and the fingerprint of
/// the sources the search explores ([`sources_fingerprint`]). A checkpoint
/// whose ledger names other sources is refused: its place belongs to
/// another tree, and resuming there would neither explore this code nor
/// say so. Resuming re-runs at most the last [`SEGMENT_STEP`] executions
/// of the stopped segment and skips none: an execution that fails is
/// re-run by every later segment until the failure is fixed, since the
/// checkpoint is written before it runs. The bound is fixed here, as in
/// [`check`]; only where a search resumes comes from outside. When the
/// search ends, the checkpoint is removed and the ledger records the total
/// as finished. Returns the executions of the whole search.
#[cfg(feature = "loom-checkpoint")]
pub(crate) fn check_resumable<F>(name: &str, checkpoint: &std::path::Path, model: F) -> usize
where
    F: Fn() + Sync + Send + 'static,
{
    let ledger = checkpoint.with_extension("progress");
    let sources = sources_fingerprint();
    if let Some(dir) = checkpoint.parent() {
        std::fs::create_dir_all(dir).expect("create the checkpoint's directory");
    }
    let before: usize = if checkpoint.exists() {
        let text = std::fs::read_to_string(&ledger)
            .unwrap_or_else(|e| panic!("{name}: a checkpoint without its ledger {ledger:?}: {e}"));
        let field = |key: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(key))
                .map(str::trim)
                .unwrap_or_else(|| panic!("{name}: {ledger:?} has no `{key}` line"))
                .to_string()
        };
        let recorded = field("sources ");
        assert_eq!(
            recorded, sources,
            "{name}: the checkpoint {checkpoint:?} is a place in the search of other sources \
             (fingerprint {recorded}; these are {sources}): remove it and its ledger to start \
             the search over on these sources"
        );
        field("executions ")
            .parse()
            .unwrap_or_else(|e| panic!("{name}: {ledger:?}: executions: {e}"))
    } else {
        0
    };
    let write_ledger = {
        let ledger = ledger.clone();
        let sources = sources.clone();
        move |executions: String| {
            std::fs::write(
                &ledger,
                format!("executions {executions}\nsources {sources}\n"),
            )
            .expect("write the search's ledger")
        }
    };
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = None;
    builder.max_permutations = None;
    builder.max_duration = None;
    builder.checkpoint_file = Some(checkpoint.to_path_buf());
    builder.checkpoint_interval = SEGMENT_STEP;
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let started = Instant::now();
    let progress = Progress::start(name, Arc::clone(&executions));
    let record = write_ledger.clone();
    builder.check(move || {
        let started = counter.fetch_add(1, Ordering::Relaxed) + 1;
        // Execution `started` of this segment is about to run, and when
        // it is a multiple of the step loom has just written the
        // checkpoint: everything before it is done.
        if started % SEGMENT_STEP == 0 {
            record((before + started - 1).to_string());
        }
        model();
    });
    drop(progress);
    let total = before + executions.load(Ordering::Relaxed);
    // Finished: a later run starts a new search rather than re-running
    // the last segment's tail onto this total.
    std::fs::remove_file(checkpoint).expect("remove the finished search's checkpoint");
    write_ledger(format!("{total} finished"));
    eprintln!(
        "loom model {name}: {total} executions in all, exhaustive, finished; this segment {} \
         executions (resumed after {before}), {:.2?}",
        executions.load(Ordering::Relaxed),
        started.elapsed()
    );
    total
}

/// How often a resumable search records its place (executions).
#[cfg(feature = "loom-checkpoint")]
const SEGMENT_STEP: usize = 100_000;

/// A fingerprint of the code a resumable search explores: every file under
/// `src/`, the scenarios and queue of `tests/support/`, the searches'
/// declarations (`loom-tests/resumable.rs`) and the loom version in
/// `Cargo.lock`. Comment lines and blank lines do not count, so that a
/// change of wording keeps a search's place; any other change starts the
/// search over. FNV-1a (64 bits) over each file's path and lines, in
/// path order: stable across builds and toolchains, unlike std's hasher.
#[cfg(feature = "loom-checkpoint")]
pub(crate) fn sources_fingerprint() -> String {
    use std::path::{Path, PathBuf};
    fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read a source directory") {
            let path = entry.expect("read a source directory").path();
            if path.is_dir() {
                rust_files(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                into.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for file in [
        "tests/support/scenarios.rs",
        "tests/support/queue.rs",
        "loom-tests/resumable.rs",
    ] {
        files.push(root.join(file));
    }
    let mut relative: Vec<String> = files
        .iter()
        .map(|f| {
            let r = f.strip_prefix(root).expect("a file of the crate");
            r.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    relative.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes.iter().chain(b"\n") {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &relative {
        feed(file.as_bytes());
        let text = std::fs::read_to_string(root.join(file)).expect("read a source file");
        for line in text.lines().map(str::trim) {
            if !line.is_empty() && !line.starts_with("//") {
                feed(line.as_bytes());
            }
        }
    }
    // The loom version: the block of Cargo.lock that names it.
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("read Cargo.lock");
    let loom = lock
        .split("[[package]]")
        .find(|block| block.contains("name = \"loom\""))
        .expect("loom in Cargo.lock");
    feed(loom.trim().as_bytes());
    format!("{hash:016x}")
}

/// Prints the executions explored so far every minute until dropped. A real
/// thread beside the checker: it reads the counter and never touches the
/// model, so it changes nothing the search explores.
struct Progress {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Progress {
    fn start(name: &str, executions: Arc<AtomicUsize>) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let name = name.to_string();
        let started = Instant::now();
        let thread = thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(Duration::from_secs(60))
            {
                eprintln!(
                    "loom model {name}: {}{}{}s",
                    executions.load(Ordering::Relaxed),
                    crate::support::isolate::PROGRESS,
                    started.elapsed().as_secs()
                );
            }
        });
        Progress {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Runs a model that must fail, and returns the failure's message.
/// Panics if every explored execution passed.
pub(crate) fn rejects<F>(name: &str, preemption_bound: Option<usize>, model: F) -> String
where
    F: Fn() + Sync + Send + 'static,
{
    let outcome = catch_unwind(AssertUnwindSafe(|| check(name, preemption_bound, model)));
    match outcome {
        Ok(executions) => {
            panic!("{name}: the model accepted a known-buggy buffer in all {executions} executions")
        }
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default(),
    }
}

/// Asserts that `message` (from [`rejects`]) names the expected failure, so
/// that a bug is caught for the right reason.
///
/// `expected` may list alternatives separated by `" | "`, for a fault whose
/// first failure depends on the schedule; one of them must be in `message`.
#[track_caller]
pub(crate) fn assert_failure(message: &str, expected: &str) {
    assert!(
        expected.split(" | ").any(|one| message.contains(one)),
        "the model failed, but not as expected: wanted {expected:?}, got {message:?}"
    );
}
