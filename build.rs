//! Chooses the synchronization backend, so that the crate's code names one
//! cfg per backend whichever way the user asked for it:
//!
//! | asked for with | the crate sees |
//! | --- | --- |
//! | nothing | no `model` (std's primitives) |
//! | `--cfg loom` (every crate) or `--cfg prodcon_loom` (prodcon alone) | `model` and `model = "loom"` |
//! | `--cfg shuttle` or `--cfg prodcon_shuttle` | `model` and `model = "shuttle"` |
//!
//! `prodcon_loom` / `prodcon_shuttle` exist for dependency graphs where a
//! global `--cfg loom` breaks another crate (tokio does not build under it).

use std::env;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!(
        "cargo::rustc-check-cfg=cfg(loom, shuttle, prodcon_loom, prodcon_shuttle, model_conflict)"
    );
    println!("cargo::rustc-check-cfg=cfg(model, values(none(), \"loom\", \"shuttle\"))");
    let set = |name: &str| env::var_os(format!("CARGO_CFG_{}", name.to_uppercase())).is_some();
    let loom = set("loom") || set("prodcon_loom");
    let shuttle = set("shuttle") || set("prodcon_shuttle");
    if loom && shuttle {
        // Read by the `compile_error!` in src/sync/mod.rs, which says why.
        println!("cargo::rustc-cfg=model_conflict");
        return;
    }
    let backend = if loom {
        "loom"
    } else if shuttle {
        "shuttle"
    } else {
        return;
    };
    println!("cargo::rustc-cfg=model");
    println!("cargo::rustc-cfg=model=\"{backend}\"");
}
