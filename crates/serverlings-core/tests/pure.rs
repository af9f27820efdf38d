//! serverlings-core stays pure: nothing in its dependencies can start a
//! process, open a socket, run an async runtime or draw on a terminal.

#[test]
fn no_dependency_does_io() {
    let manifest = include_str!("../Cargo.toml");
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .expect("a [dependencies] table");
    let deps = deps.split("\n[").next().unwrap_or(deps);
    let names: Vec<&str> = deps
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split(['=', ' ']).next())
        .collect();
    assert!(names.contains(&"serde"), "the list was read: {names:?}");
    for io in [
        "tokio",
        "reqwest",
        "hyper",
        "mio",
        "crossterm",
        "ratatui",
        "notify",
        "tokio-postgres",
        "rustls",
        "tokio-tungstenite",
        "indicatif",
    ] {
        assert!(
            !names.contains(&io),
            "serverlings-core depends on {io}: that belongs in the binary"
        );
    }
}
