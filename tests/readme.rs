//! The README's Rust examples are the crate docs' doctests, verbatim, so
//! that `cargo test` runs what the README shows.
#![cfg(not(any(loom, shuttle)))]

/// The code blocks of a Markdown text that open with the fence `opener`.
fn code_blocks(markdown: &str, opener: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None if line == opener => current = Some(Vec::new()),
            None => {}
            Some(lines) if line == "```" => {
                blocks.push(lines.join("\n"));
                current = None;
            }
            Some(lines) => lines.push(line),
        }
    }
    blocks
}

/// The crate docs of `src/lib.rs` as Markdown, without rustdoc's hidden
/// (`# `) lines.
fn crate_docs() -> String {
    include_str!("../src/lib.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .filter(|line| !line.starts_with("# "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn readme_examples_are_crate_doctests() {
    // Doctests open with a bare fence in the crate docs.
    let doctests = code_blocks(&crate_docs(), "```");
    let examples: Vec<String> = code_blocks(include_str!("../README.md"), "```rust")
        .into_iter()
        .filter(|block| !block.contains("#[test]")) // the shuttle replay recipe
        .collect();
    assert!(examples.len() >= 2, "the README lost its examples");
    for example in examples {
        assert!(
            doctests.contains(&example),
            "README example is not a crate doctest (edit both together):\n{example}"
        );
    }
}
